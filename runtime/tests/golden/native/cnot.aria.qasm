OPENQASM 3.0;
include "stdgates.inc";
gate gpi(phi) q { U(pi, 2*pi*phi, pi - 2*pi*phi) q; }
gate gpi2(phi) q { U(pi/2, 2*pi*phi - pi/2, pi/2 - 2*pi*phi) q; }
gate ms(phi0, phi1, theta) a, b { rz(-2*pi*phi0) a; rz(-2*pi*phi1) b; h a; h b; cx a, b; rz(2*pi*theta) b; cx a, b; h b; h a; rz(2*pi*phi0) a; rz(2*pi*phi1) b; }
gate zz(theta) a, b { cx a, b; rz(2*pi*theta) b; cx a, b; }
// final virtual RZ frames (radians) per qubit: [-1.570796326794897, 6.283185307179586]
qubit[2] q;
bit[2] c;
gpi2(0.250000000000000) q[0];
ms(0.500000000000000, 0.500000000000000, 0.250000000000000) q[0], q[1];
gpi2(0.750000000000000) q[0];
gpi2(0.500000000000000) q[1];
c = measure q;
