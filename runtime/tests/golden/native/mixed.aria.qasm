OPENQASM 3.0;
include "stdgates.inc";
gate gpi(phi) q { U(pi, 2*pi*phi, pi - 2*pi*phi) q; }
gate gpi2(phi) q { U(pi/2, 2*pi*phi - pi/2, pi/2 - 2*pi*phi) q; }
gate ms(phi0, phi1, theta) a, b { rz(-2*pi*phi0) a; rz(-2*pi*phi1) b; h a; h b; cx a, b; rz(2*pi*theta) b; cx a, b; h b; h a; rz(2*pi*phi0) a; rz(2*pi*phi1) b; }
gate zz(theta) a, b { cx a, b; rz(2*pi*theta) b; cx a, b; }
// final virtual RZ frames (radians) per qubit: [-4.712388980384690, 4.813185307179586, 5.441592653589794]
qubit[3] q;
bit[3] c;
gpi2(0.500000000000000) q[1];
gpi2(0.558887328944001) q[1];
ms(0.000000000000000, 0.058887328944001, 0.250000000000000) q[0], q[1];
ms(0.808887328944001, 0.500000000000000, 0.250000000000000) q[1], q[2];
gpi2(0.750000000000000) q[2];
gpi2(0.883943630888641) q[2];
ms(0.000000000000000, 0.383943630888641, 0.250000000000000) q[0], q[2];
gpi2(0.500000000000000) q[0];
ms(0.383943630888641, 0.750000000000000, 0.250000000000000) q[2], q[0];
gpi2(0.058887328944001) q[1];
gpi2(0.133943630888641) q[2];
c = measure q;
