// A program clang-tidy cannot analyse: run.py must say so and exit 2.
// EXPECT-NONE: pipe-self-deadlock
// PROOF: run exit
int main(void) { return undeclared_name; }
