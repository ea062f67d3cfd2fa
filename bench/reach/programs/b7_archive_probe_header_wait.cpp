// archive_probe: tells what kind of archive a file is by running a lister
// child and looking at the header line it prints first ("format=... entries=N"),
// followed by one line per entry. ArchiveLister owns the child: its pid and
// the read end of its output pipe, which the destructor closes. The static
// factory ArchiveLister::spawn() returns it by value. probe_format() reads the
// header only and then calls wait() to collect the lister's status while the
// lister object -- and so the read end -- is still alive. A large archive
// lists far more than 64 KiB: the child blocks in write() on the full pipe,
// the parent blocks in waitpid(); the destructor that would close the read
// end only runs after wait() returns.
// CROSSES: the read end is a member closed only by ~ArchiveLister, after the wait in probe_format; the child and its > 64 KiB of output are created in ArchiveLister::spawn, returned by value
// EXPECT: pipe-leaked-writer probe_format|wait probe hang
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct Archive {
    std::string format;
    unsigned entries;
};

class ArchiveLister {
public:
    static ArchiveLister spawn(const Archive& a) {
        int p[2];
        if (::pipe(p) < 0)
            return ArchiveLister(-1, -1);
        pid_t pid = ::fork();
        if (pid < 0) {
            ::close(p[0]);
            ::close(p[1]);
            return ArchiveLister(-1, -1);
        }
        if (pid == 0) {
            ::close(p[0]);
            _exit(list_entries(a, p[1]));
        }
        ::close(p[1]);
        return ArchiveLister(pid, p[0]);
    }

    ArchiveLister(ArchiveLister&& o) noexcept : pid_(o.pid_), out_(o.out_), buf_(std::move(o.buf_)) {
        o.pid_ = -1;
        o.out_ = -1;
    }
    ArchiveLister(const ArchiveLister&) = delete;
    ArchiveLister& operator=(const ArchiveLister&) = delete;
    ~ArchiveLister() {
        if (out_ >= 0)
            ::close(out_);
    }

    bool ok() const { return pid_ > 0; }

    // One line of the listing, without its newline; false at end-of-file.
    bool read_line(std::string& line) {
        for (;;) {
            std::size_t nl = buf_.find('\n');
            if (nl != std::string::npos) {
                line.assign(buf_, 0, nl);
                buf_.erase(0, nl + 1);
                return true;
            }
            char chunk[512];
            ssize_t n = ::read(out_, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return false;
            buf_.append(chunk, static_cast<std::size_t>(n));
        }
    }

    // The lister's wait status, or -1.
    int wait() {
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0) {
            if (errno != EINTR)
                return -1;
        }
        pid_ = -1;
        return status;
    }

private:
    ArchiveLister(pid_t pid, int fd) : pid_(pid), out_(fd) {}

    static int list_entries(const Archive& a, int fd) {
        std::string text = "format=" + a.format + " entries=" + std::to_string(a.entries) + "\n";
        for (unsigned i = 0; i < a.entries; i++)
            text += "-rw-r--r-- 0/0 " + std::to_string(4096 + i % 8191) + " src/module" +
                    std::to_string(i / 100) + "/unit" + std::to_string(i) + ".cpp\n";
        const char* p = text.data();
        std::size_t left = text.size();
        while (left > 0) {
            ssize_t n = ::write(fd, p, left);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                return 1;
            p += n;
            left -= static_cast<std::size_t>(n);
        }
        return 0;
    }

    pid_t pid_;
    int out_;
    std::string buf_;
};

// The archive's format from the lister's header line, or "" when unknown.
static std::string probe_format(const Archive& a) {
    ArchiveLister lister = ArchiveLister::spawn(a);
    if (!lister.ok())
        return "";
    std::string header;
    bool got = lister.read_line(header);
    int status = lister.wait();
    if (!got || status < 0 || header.compare(0, 7, "format=") != 0)
        return "";
    std::size_t sp = header.find(' ');
    return header.substr(7, sp == std::string::npos ? std::string::npos : sp - 7);
}

int main(int argc, char** argv) {
    std::string scenario = argc > 1 ? argv[1] : "probe";
    Archive a;
    if (scenario == "probe")
        a = Archive{"ustar", 20000};  // about 1 MiB of listing
    else if (scenario == "tiny")
        a = Archive{"zip", 3};
    else {
        std::fprintf(stderr, "usage: %s probe|tiny\n", argv[0]);
        return 2;
    }
    std::string fmt = probe_format(a);
    std::printf("format: %s\n", fmt.empty() ? "(unknown)" : fmt.c_str());
    return fmt == a.format ? 0 : 1;
}
