// reach: FrameRenderer owns a pipe (int fds_[2]) and a worker std::thread.
// render() starts the encoder thread, finish() joins it, collect() drains
// the pipe. export_frame() calls finish() before collect(): a VGA frame is
// ~900 KiB, the encoder blocks once the pipe holds 64 KiB, and the join
// waits for it forever.
// CROSSES: class member (thread started in one method, joined in another, pipe in members); function boundary (join and drain in separate methods)
// EXPECT: pipe-wait-before-drain export_frame|finish vga hang
#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

class FrameRenderer {
public:
  FrameRenderer() {
    if (::pipe(fds_) != 0)
      throw std::runtime_error("pipe");
  }
  ~FrameRenderer() {
    if (worker_.joinable())
      worker_.join();
    ::close(fds_[0]);
    if (fds_[1] >= 0)
      ::close(fds_[1]);
  }
  FrameRenderer(const FrameRenderer &) = delete;
  FrameRenderer &operator=(const FrameRenderer &) = delete;

  void render(int width, int height) {
    worker_ = std::thread(&FrameRenderer::encode, this, width, height);
  }

  void finish() {
    if (worker_.joinable())
      worker_.join();
  }

  std::vector<uint8_t> collect() {
    std::vector<uint8_t> frame;
    uint8_t buf[8192];
    ssize_t n;
    while ((n = ::read(fds_[0], buf, sizeof buf)) > 0)
      frame.insert(frame.end(), buf, buf + n);
    return frame;
  }

private:
  void encode(int width, int height) {
    std::vector<uint8_t> row(static_cast<size_t>(width) * 3);
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) {
        row[x * 3] = static_cast<uint8_t>(x);
        row[x * 3 + 1] = static_cast<uint8_t>(y);
        row[x * 3 + 2] = static_cast<uint8_t>(x ^ y);
      }
      if (::write(fds_[1], row.data(), row.size()) < 0)
        break;
    }
    ::close(fds_[1]);
    fds_[1] = -1;
  }

  int fds_[2];
  std::thread worker_;
};

static size_t export_frame(int width, int height) {
  FrameRenderer r;
  r.render(width, height);
  r.finish();
  return r.collect().size();
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  std::string scenario = argv[1];
  if (scenario == "vga")
    return export_frame(640, 480) == 640u * 480u * 3u ? 0 : 1;
  if (scenario == "icon")
    return export_frame(16, 16) == 16u * 16u * 3u ? 0 : 1;
  return 2;
}
