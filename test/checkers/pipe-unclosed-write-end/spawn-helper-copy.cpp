// pipe-unclosed-write-end in C++: a pipe's write end given to a member
// function that starts a child with it as its standard output. The child has a copy; the caller's copy is still the caller's to
// close. A two-stage pipeline whose parent keeps the link's write end: the
// second stage never sees end-of-file, and the parent's read of its output
// never ends. The near miss closes the link right after the first stage.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s member hang
// RUN: %run_example %s member-closed exit

#include <cstdio>
#include <fcntl.h>
#include <cstring>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

class Launcher {
public:
  // Runs Argv with In as its standard input and Out as its output.
  pid_t start(char *const Argv[], int In, int Out) {
    pid_t Pid = ::fork();
    if (Pid == 0) {
      ::dup2(In, 0);
      ::dup2(Out, 1);
      ::execvp(Argv[0], Argv);
      ::_exit(127);
    }
    ++Started;
    return Pid;
  }
  int Started = 0;
};

static std::string readAll(int Fd) {
  std::string Out;
  char Buf[256];
  ssize_t N;
  while ((N = ::read(Fd, Buf, sizeof Buf)) > 0)
    Out.append(Buf, size_t(N));
  return Out;
}

std::string countWords(Launcher &L) {
  char *First[] = {(char *)"echo", (char *)"one two three", nullptr};
  char *Second[] = {(char *)"wc", (char *)"-w", nullptr};
  int Link[2], Cap[2];
  if (::pipe(Cap) != 0)
    return "";
  if (::pipe(Link) != 0) {
    ::close(Cap[0]);
    ::close(Cap[1]);
    return "";
  }
  pid_t P1 = L.start(First, 0, Link[1]);
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: write end 'Cap[1]' is inherited by the child that 'start' starts because it lacks O_CLOEXEC; while that child runs, readers of the pipe never see end-of-file; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here
  pid_t P2 = L.start(Second, Link[0], Cap[1]);
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: write end 'Link[1]' is inherited by the child that 'start' starts because it lacks O_CLOEXEC; while that child runs, readers of the pipe never see end-of-file; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
  ::close(Link[0]);
  ::close(Cap[1]);
  std::string Out = readAll(Cap[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: 'readAll' waits for end-of-file on the output of child process 'P2' while this process still holds write end 'Link[1]' of that child's standard input; the child waits for end-of-file on its input and never finishes, so both wait forever; close 'Link[1]' before reading the child's output [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-15]]:7: note: pipe created here
  ::close(Cap[0]);
  int St;
  ::waitpid(P1, &St, 0);
  ::waitpid(P2, &St, 0);
  return Out;
}

// Near miss: the link's write end closed once the first stage has it.
std::string countWordsClosed(Launcher &L) {
  char *First[] = {(char *)"echo", (char *)"one two three", nullptr};
  char *Second[] = {(char *)"wc", (char *)"-w", nullptr};
  int Link[2], Cap[2];
  if (::pipe2(Cap, O_CLOEXEC) != 0)
    return "";
  if (::pipe(Link) != 0) {
    ::close(Cap[0]);
    ::close(Cap[1]);
    return "";
  }
  pid_t P1 = L.start(First, 0, Link[1]);
  ::close(Link[1]);
  pid_t P2 = L.start(Second, Link[0], Cap[1]);
  ::close(Link[0]);
  ::close(Cap[1]);
  std::string Out = readAll(Cap[0]);
  ::close(Cap[0]);
  int St;
  ::waitpid(P1, &St, 0);
  ::waitpid(P2, &St, 0);
  return Out;
}

int main(int argc, char **argv) {
  const char *S = argc > 1 ? argv[1] : "";
  Launcher L;
  if (std::strcmp(S, "member") == 0)
    return countWords(L).empty();
  if (std::strcmp(S, "member-closed") == 0)
    return countWordsClosed(L).find('3') == std::string::npos;
  std::fprintf(stderr, "unknown scenario '%s'\n", S);
  return 2;
}
