// Caller context in C++: a write end left open on a failure return is not
// reported when every call ends the process on that failure: std::exit, a
// [[noreturn]] fatal() whose body exits, a lambda held in a variable and
// only ever called, a member function of a class of this file, a nullptr
// result. It is reported when a caller throws instead (the exception is
// caught and the program carries on), and when a lambda is passed to
// another function, which calls it where the check cannot follow.
// ReportLeaksBeforeExit brings the silenced ones back (suffix ON).
//
// Each scenario runs in a child process: a silenced one must end the child
// on its failure path (status 1), after which the parent exits 0; a
// reported one reads the pipe whose write end it still holds, and hangs.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t
// RUN: %check_pipe_tidy -check-suffixes=,ON %s pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.ReportLeaksBeforeExit, value: true}]}"
//
// RUN: %run_example %s std-exit exit
// RUN: %run_example %s noreturn exit
// RUN: %run_example %s lambda exit
// RUN: %run_example %s member exit
// RUN: %run_example %s nullptr exit
// RUN: %run_example %s throws hang
// RUN: %run_example %s lambda-passed hang

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

constexpr std::size_t kMaxName = 16;
const char kLongName[] = "a-job-name-longer-than-sixteen-bytes";

long drain(int fd)
{
  char buf[512];
  long total = 0;
  ssize_t n;

  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

[[noreturn]] void fatal(const char *what)
{
  std::fprintf(stderr, "fatal: %s\n", what);
  std::exit(1);
}

// ---- every caller ends the process on failure: silent --------------------

int start_job(int *rfd, const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (std::strlen(name) > kMaxName)
    return -1;
    // CHECK-MESSAGES-ON: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_job' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ON: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES-ON: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "job %s started\n", name);
  close(fds[1]);
  return 0;
}

void job_std_exit(const char *name)
{
  int r;

  if (start_job(&r, name) < 0) {
    std::perror("start_job");
    std::exit(EXIT_FAILURE);
  }
  drain(r);
}

void job_noreturn(const char *name)
{
  int r;

  if (start_job(&r, name) != 0)
    fatal("start_job");
  drain(r);
}

void job_lambda(const char *name)
{
  int r = -1;
  auto start = [&r](const char *n) -> int {
    int fds[2];

    if (pipe(fds) < 0)
      return -1;
    r = fds[0];
    if (std::strlen(n) > kMaxName)
      return -1;
      // CHECK-MESSAGES-ON: :[[@LINE-1]]:7: warning: write end 'fds[1]' of the pipe is still open when this lambda returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
      // CHECK-MESSAGES-ON: :[[@LINE-6]]:9: note: pipe created here
      // CHECK-MESSAGES-ON: :[[@LINE-4]]:9: note: taking the true branch
    close(fds[1]);
    return 0;
  };

  if (start(name) < 0)
    fatal("start");
  drain(r);
}

}  // namespace

// External linkage, but the class is this file's own.
class Job {
public:
  bool start(const char *name);
  int reader() const { return rd_; }

private:
  int rd_ = -1;
};

bool Job::start(const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return false;
  rd_ = fds[0];
  if (std::strlen(name) > kMaxName)
    return false;
    // CHECK-MESSAGES-ON: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ON: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES-ON: :[[@LINE-4]]:7: note: taking the true branch
  close(fds[1]);
  return true;
}

namespace {

void job_member(const char *name)
{
  Job job;

  if (!job.start(name))
    fatal("Job::start");
  drain(job.reader());
}

// nullptr on failure, the name on success.
const char *start_named(int *rfd, const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return nullptr;
  *rfd = fds[0];
  if (std::strlen(name) > kMaxName)
    return nullptr;
    // CHECK-MESSAGES-ON: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_named' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ON: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES-ON: :[[@LINE-4]]:7: note: taking the true branch
  close(fds[1]);
  return name;
}

void job_nullptr(const char *name)
{
  int r;

  if (start_named(&r, name) == nullptr)
    std::exit(1);
  drain(r);
}

// ---- still reported ------------------------------------------------------

// Its caller throws: the program carries on where the exception is caught.
int start_job_throws(int *rfd, const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (std::strlen(name) > kMaxName)
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_job_throws' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  close(fds[1]);
  return 0;
}

void job_throws(const char *name, int *r)
{
  if (start_job_throws(r, name) < 0)
    throw std::runtime_error("cannot start the job");
}

// A lambda given to another function: its calls are not followed.
template <typename F> int run_starter(F f) { return f(); }

void job_lambda_passed(const char *name)
{
  int r = -1;
  const char *job = "first";
  auto start = [&r, &job]() -> int {
    int fds[2];

    if (pipe(fds) < 0)
      return -1;
    r = fds[0];
    if (std::strlen(job) > kMaxName)
      return -1;
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: write end 'fds[1]' of the pipe is still open when this lambda returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
      // CHECK-MESSAGES: :[[@LINE-6]]:9: note: pipe created here
      // CHECK-MESSAGES: :[[@LINE-4]]:9: note: taking the true branch
    close(fds[1]);
    return 0;
  };

  if (start() < 0)
    std::exit(1);
  drain(r);
  close(r);
  job = name;
  run_starter(start);
  drain(r);
}

void scenario(const char *s)
{
  if (std::strcmp(s, "std-exit") == 0)
    job_std_exit(kLongName);
  else if (std::strcmp(s, "noreturn") == 0)
    job_noreturn(kLongName);
  else if (std::strcmp(s, "lambda") == 0)
    job_lambda(kLongName);
  else if (std::strcmp(s, "member") == 0)
    job_member(kLongName);
  else if (std::strcmp(s, "nullptr") == 0)
    job_nullptr(kLongName);
  else if (std::strcmp(s, "throws") == 0) {
    int r = -1;
    try {
      job_throws(kLongName, &r);
    } catch (const std::exception &e) {
      std::fprintf(stderr, "%s; reading what there is\n", e.what());
    }
    drain(r);
  } else if (std::strcmp(s, "lambda-passed") == 0)
    job_lambda_passed(kLongName);
  else
    std::fprintf(stderr, "unknown scenario '%s'\n", s);
}

}  // namespace

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int status;
  pid_t pid = fork();

  if (pid < 0)
    return 2;
  if (pid == 0) {
    scenario(s);
    _exit(0);
  }
  if (waitpid(pid, &status, 0) < 0)
    return 2;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
    return 0;
  std::fprintf(stderr, "the scenario did not end on its failure path\n");
  return 3;
}
