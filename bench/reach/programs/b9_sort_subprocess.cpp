// Sorts a batch of keys by running sort(1) as a subprocess. Subprocess makes
// both pipes with O_CLOEXEC so no stray copy of its stdin write end leaks into
// the exec'd child; close_stdin() is called after feeding, and when
// validation throws half-way the destructor still closes stdin before it
// waits. finish() checks sort's exit status, and the caller treats a nonzero
// status as failure. Near-miss of the unclosed-write-end and the
// writer-error-ignored bugs.
// EXPECT-NONE: pipe-unclosed-write-end
// EXPECT-NONE: pipe-writer-error-ignored
// PROOF: sort exit
// CROSSES: the pipes, fork and exec are in the Subprocess constructor; the write end is a member closed by close_stdin() or by ~Subprocess on the exception path out of sort_keys(); the exit status travels back through finish()
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

class Subprocess {
public:
    explicit Subprocess(const char *prog) {
        int in[2], out[2];
        if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0)
            throw std::runtime_error("pipe2 failed");
        pid_ = fork();
        if (pid_ < 0)
            throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            dup2(in[0], STDIN_FILENO);
            dup2(out[1], STDOUT_FILENO);
            execlp(prog, prog, static_cast<char *>(nullptr));
            _exit(127);
        }
        close(in[0]);
        close(out[1]);
        stdin_ = in[1];
        stdout_ = out[0];
    }
    ~Subprocess() {
        close_stdin();
        if (stdout_ >= 0)
            close(stdout_);
        if (pid_ > 0)
            waitpid(pid_, nullptr, 0);
    }

    void send(const std::string &s) {
        if (write(stdin_, s.data(), s.size()) != static_cast<ssize_t>(s.size()))
            throw std::runtime_error("short write to child");
    }
    void close_stdin() {
        if (stdin_ >= 0) {
            close(stdin_);
            stdin_ = -1;
        }
    }
    std::string read_stdout() {
        std::string s;
        char buf[4096];
        ssize_t n;
        while ((n = read(stdout_, buf, sizeof buf)) > 0)
            s.append(buf, static_cast<size_t>(n));
        return s;
    }
    // Exit status of the child, or -1 if it did not exit normally.
    int finish() {
        int status;
        if (waitpid(pid_, &status, 0) < 0)
            return -1;
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

private:
    pid_t pid_ = -1;
    int stdin_ = -1;
    int stdout_ = -1;
};

std::string sort_keys(const std::vector<std::string> &keys) {
    Subprocess sorter("sort");
    for (const auto &k : keys) {
        if (k.empty() || k.find('\n') != std::string::npos)
            throw std::invalid_argument("bad key");
        sorter.send(k + "\n");
    }
    sorter.close_stdin();
    std::string out = sorter.read_stdout();
    if (int rc = sorter.finish(); rc != 0)
        throw std::runtime_error("sort exited with " + std::to_string(rc));
    return out;
}

} // namespace

int main(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN);
    setenv("LC_ALL", "C", 1);
    std::string scenario = argc > 1 ? argv[1] : "sort";
    if (scenario != "sort") {
        fprintf(stderr, "unknown scenario %s\n", scenario.c_str());
        return 2;
    }
    std::string sorted = sort_keys({"pear", "apple", "fig", "banana"});
    bool rejected = false;
    try {
        sort_keys({"kiwi", "", "lime"});
    } catch (const std::invalid_argument &) {
        rejected = true;
    }
    printf("%sbad batch %s\n", sorted.c_str(), rejected ? "rejected" : "accepted");
    return sorted == "apple\nbanana\nfig\npear\n" && rejected ? 0 : 1;
}
