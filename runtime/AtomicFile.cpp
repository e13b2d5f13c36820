//===- AtomicFile.cpp - Files replaced whole or not at all ----------------===//
#include "kiln/runtime/AtomicFile.h"
#include "kiln/runtime/Error.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <random>
#include <streambuf>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kiln::runtime {

namespace {

/// An output stream buffer over a file descriptor that remembers the first
/// write error (a full disk shows here, not at open).
class DescriptorBuffer : public std::streambuf {
public:
  explicit DescriptorBuffer(int fd) : fd_(fd) {
    setp(buffer_, buffer_ + sizeof buffer_);
  }
  int error() const { return error_; }

protected:
  int_type overflow(int_type c) override {
    if (sync() != 0)
      return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char *s, std::streamsize n) override {
    if (n < static_cast<std::streamsize>(sizeof buffer_))
      return std::streambuf::xsputn(s, n);
    // Large blocks (tensor data) go straight to the file.
    if (sync() != 0 || !writeAll(s, static_cast<size_t>(n)))
      return 0;
    return n;
  }
  int sync() override {
    size_t pending = static_cast<size_t>(pptr() - pbase());
    if (pending && !writeAll(pbase(), pending))
      return -1;
    setp(buffer_, buffer_ + sizeof buffer_);
    return 0;
  }

private:
  bool writeAll(const char *p, size_t n) {
    while (n > 0 && error_ == 0) {
      ssize_t written = ::write(fd_, p, n);
      if (written < 0) {
        if (errno != EINTR)
          error_ = errno;
        continue;
      }
      p += written;
      n -= static_cast<size_t>(written);
    }
    return error_ == 0;
  }

  int fd_;
  int error_ = 0;
  char buffer_[1 << 16];
};

/// The temporary beside the destination; removed unless renamed.
struct Temporary {
  std::string name;
  int fd = -1;
  bool renamed = false;
  ~Temporary() {
    if (fd >= 0)
      ::close(fd);
    if (!renamed && !name.empty())
      ::unlink(name.c_str());
  }
};

std::string systemError(const std::string &what, int code) {
  return what + ": " + std::strerror(code);
}

/// Creates `path.tmp.<pid>.<n>.<random>` exclusively. Not mkstemp: its
/// files are private (0600), and a checkpoint should get the permissions
/// the user's umask gives any new file.
std::string createTemporary(const std::string &path, Temporary &tmp) {
  static std::atomic<uint64_t> counter{0};
  std::random_device random;
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string name = path + ".tmp." + std::to_string(::getpid()) + "." +
                       std::to_string(counter++) + "." +
                       std::to_string(random() % 1000000);
    int fd =
        ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      tmp.name = std::move(name);
      tmp.fd = fd;
      return "";
    }
    if (errno != EEXIST && errno != EINTR)
      return systemError("cannot create a temporary file beside " + path,
                         errno);
  }
  return "cannot create a temporary file beside " + path +
         ": every name tried exists";
}

/// The folder that holds `path`, synced so that the rename is durable.
/// Some file systems cannot sync a folder; the file itself is synced
/// already, so that is no error.
void syncFolder(const std::string &path) {
  size_t slash = path.find_last_of('/');
  std::string folder = slash == std::string::npos ? "."
                       : slash == 0               ? "/"
                                                  : path.substr(0, slash);
  int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return;
  ::fsync(fd);
  ::close(fd);
}

/// The common path: "" on success, else what failed. Exceptions from
/// `write` propagate after the temporary is removed.
std::string writeAtomically(const std::string &path,
                            const std::function<void(std::ostream &)> &write) {
  Temporary tmp;
  if (std::string error = createTemporary(path, tmp); !error.empty())
    return error;
  DescriptorBuffer buffer(tmp.fd);
  {
    std::ostream out(&buffer);
    write(out);
    out.flush();
    if (!out || buffer.error())
      return systemError("writing " + path + " failed",
                         buffer.error() ? buffer.error() : EIO);
  }
  if (::fsync(tmp.fd) != 0)
    return systemError("cannot sync " + tmp.name, errno);
  int fd = tmp.fd;
  tmp.fd = -1;
  if (::close(fd) != 0)
    return systemError("writing " + path + " failed", errno);
  if (::rename(tmp.name.c_str(), path.c_str()) != 0)
    return systemError("cannot rename " + tmp.name + " to " + path, errno);
  tmp.renamed = true;
  syncFolder(path);
  return "";
}

} // namespace

void writeFileAtomically(const std::string &path, std::string_view op,
                         const std::function<void(std::ostream &)> &write) {
  std::string error = writeAtomically(path, write);
  if (!error.empty())
    throw Error(std::string(op) + ": " + error);
}

bool writeFileAtomically(const std::string &path, std::string_view bytes,
                         std::string &error) {
  error = writeAtomically(path, [&](std::ostream &out) {
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  });
  return error.empty();
}

} // namespace kiln::runtime
