int start_job(int *rfd, const char *name);
int start_worker(int *rfd, const char *name);
