// Audio transcoder: an encoder thread (a std::thread member of FrameEncoder)
// turns PCM frames into a framed output stream and writes it into a pipe; the
// caller reads the pipe and packs the encoded file.
// CORRECT (near-miss): transcode() first drains the pipe to end-of-file with
// collect(), and only then calls finish(), which joins the encoder and
// rethrows the exception the encoder stored when it hit a corrupt frame, so a
// failed encode never passes for a short but complete file. The destructor
// closes the read end before it joins, so an exception on the reading side
// cannot leave the encoder blocked in write().
// EXPECT-NONE: pipe-wait-before-drain
// EXPECT-NONE: pipe-writer-error-ignored
// EXPECT-NONE: pipe-leaked-writer
// PROOF: corrupt exit
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace {

struct Frame {
  uint32_t seq;
  std::vector<int16_t> samples;
  bool valid = true;
};

class FrameEncoder {
 public:
  explicit FrameEncoder(const std::vector<Frame> &frames) : frames_(frames) {
    int fds[2];
    if (pipe(fds) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
    readFd_ = fds[0];
    writeFd_ = fds[1];
  }

  ~FrameEncoder() {
    if (readFd_ >= 0) close(readFd_);
    if (worker_.joinable()) worker_.join();
    if (!started_) close(writeFd_);  // otherwise the encoder thread closed it
  }

  void start() {
    worker_ = std::thread([this] {
      try {
        encodeAll();
      } catch (...) {
        error_ = std::current_exception();
      }
      close(writeFd_);
    });
    started_ = true;
  }

  std::string collect() {
    std::string out;
    char buf[16384];
    for (;;) {
      ssize_t n = read(readFd_, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw std::system_error(errno, std::generic_category(), "read");
      if (n == 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

  void finish() {
    worker_.join();
    close(readFd_);
    readFd_ = -1;
    if (error_) std::rethrow_exception(error_);
  }

 private:
  void encodeAll() {
    std::string packet;
    for (const Frame &f : frames_) {
      if (!f.valid) throw std::runtime_error("corrupt PCM frame " + std::to_string(f.seq));
      packet.assign("FRM", 3);
      packet.push_back(static_cast<char>(f.samples.size() & 0xff));
      int16_t prev = 0;
      for (int16_t s : f.samples) {  // delta coding, clamped to one byte
        int d = s - prev;
        packet.push_back(static_cast<char>(d > 127 ? 127 : d < -128 ? -128 : d));
        prev = s;
      }
      const char *p = packet.data();
      size_t left = packet.size();
      while (left > 0) {
        ssize_t n = write(writeFd_, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw std::system_error(errno, std::generic_category(), "write");
        p += n;
        left -= static_cast<size_t>(n);
      }
    }
  }

  const std::vector<Frame> &frames_;
  int readFd_ = -1;
  int writeFd_ = -1;
  std::thread worker_;
  bool started_ = false;
  std::exception_ptr error_;
};

std::string transcode(const std::vector<Frame> &frames) {
  FrameEncoder enc(frames);
  enc.start();
  std::string encoded = enc.collect();
  enc.finish();  // throws if the encoder failed
  return encoded;
}

std::vector<Frame> makeTrack(size_t nframes, long corruptAt) {
  std::vector<Frame> track(nframes);
  for (size_t i = 0; i < nframes; ++i) {
    track[i].seq = static_cast<uint32_t>(i);
    track[i].samples.resize(128);
    for (size_t k = 0; k < 128; ++k) track[i].samples[k] = static_cast<int16_t>((i * 7 + k * 3) % 200);
    track[i].valid = static_cast<long>(i) != corruptAt;
  }
  return track;
}

}  // namespace

int main(int argc, char **argv) {
  std::string scenario = argc > 1 ? argv[1] : "long";
  if (scenario != "long" && scenario != "corrupt") {
    std::fprintf(stderr, "usage: %s long|corrupt\n", argv[0]);
    return 2;
  }
  std::vector<Frame> track = makeTrack(4000, scenario == "corrupt" ? 2500 : -1);
  try {
    std::string out = transcode(track);
    std::printf("%s: encoded %zu bytes\n", scenario.c_str(), out.size());
    return scenario == "long" && out.size() == 4000u * 132u ? 0 : 1;
  } catch (const std::exception &e) {
    std::printf("%s: transcode failed: %s\n", scenario.c_str(), e.what());
    return scenario == "corrupt" ? 0 : 1;  // the failure was reported, not a short file
  }
}
