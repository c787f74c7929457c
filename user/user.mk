# User programs: filled in with the C library and the programs.
