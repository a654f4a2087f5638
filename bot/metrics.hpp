// Counters and latency histograms for /metrics, in Prometheus text format. One registry per
// process; every method is safe from any thread.
#pragma once
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace whygo {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Metrics {
 public:
  // The process's registry.
  static Metrics& global();

  void count(const std::string& name, const Labels& labels, double by = 1);
  void observe(const std::string& name, const Labels& labels, std::chrono::duration<double> seconds);
  // A value computed when /metrics is read (catalog size).
  void gauge(const std::string& name, std::function<double()> read);
  void describe(const std::string& name, const std::string& help, const std::string& type);

  std::string render();
  double value(const std::string& name, const Labels& labels);  // counters, for tests

 private:
  struct Histogram {
    std::vector<std::uint64_t> buckets;
    std::uint64_t count = 0;
    double sum = 0;
  };
  std::mutex mutex_;
  std::map<std::string, std::pair<std::string, std::string>> help_;  // name -> (help, type)
  std::map<std::string, std::map<Labels, double>> counters_;
  std::map<std::string, std::map<Labels, Histogram>> histograms_;
  std::map<std::string, std::function<double()>> gauges_;
};

// Latency buckets, in seconds: from 100 microseconds to 10 seconds.
inline const std::vector<double> latency_buckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                    0.05,   0.1,     0.25,   0.5,   1,      2.5,   10};

}  // namespace whygo
