OPENQASM 3.0;
include "stdgates.inc";
gate u1q(a, b) q { rz(-b) q; rx(a) q; rz(b) q; }
gate rzz_native(theta) a, b { cx a, b; rz(theta) b; cx a, b; }
// final virtual RZ frames (radians) per qubit: [-1.570796326794897, 4.712388980384690]
qubit[2] q;
bit[2] c;
u1q(1.570796326794897, 4.712388980384690) q[1];
rzz_native(1.570796326794897) q[0], q[1];
u1q(1.570796326794897, 3.141592653589793) q[1];
c = measure q;
