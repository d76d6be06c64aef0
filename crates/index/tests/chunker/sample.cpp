// A tiny HTTP server interface, to pin how C++ files are chunked.
#include <string>
#include <vector>

namespace net {

class Server {
public:
    explicit Server(int port) : port_(port) {}

    // Starts listening.
    void start();

    int port() const { return port_; }

private:
    int port_;
    std::vector<std::string> routes_;
};

void Server::start() {
    routes_.push_back("/");
}

template <typename T>
T clamp(T v, T lo, T hi) {
    return v < lo ? lo : (v > hi ? hi : v);
}

}  // namespace net

int main() {
    net::Server s(8080);
    s.start();
    return 0;
}
