//! Geometry math: Z-matrix to Cartesian conversion and `.xyz` file reading.
