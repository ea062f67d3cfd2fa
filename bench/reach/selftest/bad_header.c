// A header naming a check that does not exist: run.py must refuse it.
// CROSSES: none (runner self-test)
// EXPECT: pipe-never-closes main run hang
int main(void) { return 0; }
