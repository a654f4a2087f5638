#include "bot/metrics.hpp"

#include <cstdio>
#include <sstream>

namespace whygo {
namespace {

// Label values are escaped as the exposition format asks: backslash, quote and newline.
std::string escape(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string render_labels(const Labels& labels, const std::string& extra = {}) {
  std::string out;
  for (const auto& [k, v] : labels) out += (out.empty() ? "" : ",") + k + "=\"" + escape(v) + "\"";
  if (!extra.empty()) out += (out.empty() ? "" : ",") + extra;
  return out.empty() ? std::string() : "{" + out + "}";
}

std::string number(double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  return buffer;
}

}  // namespace

Metrics& Metrics::global() {
  static Metrics metrics;
  return metrics;
}

void Metrics::count(const std::string& name, const Labels& labels, double by) {
  std::lock_guard lock(mutex_);
  counters_[name][labels] += by;
}

void Metrics::observe(const std::string& name, const Labels& labels, std::chrono::duration<double> seconds) {
  std::lock_guard lock(mutex_);
  Histogram& h = histograms_[name][labels];
  if (h.buckets.empty()) h.buckets.assign(latency_buckets.size(), 0);
  for (std::size_t i = 0; i < latency_buckets.size(); ++i)
    if (seconds.count() <= latency_buckets[i]) ++h.buckets[i];
  ++h.count;
  h.sum += seconds.count();
}

void Metrics::gauge(const std::string& name, std::function<double()> read) {
  std::lock_guard lock(mutex_);
  gauges_[name] = std::move(read);
}

void Metrics::describe(const std::string& name, const std::string& help, const std::string& type) {
  std::lock_guard lock(mutex_);
  help_[name] = {help, type};
}

double Metrics::value(const std::string& name, const Labels& labels) {
  std::lock_guard lock(mutex_);
  const auto it = counters_.find(name);
  if (it == counters_.end()) return 0;
  const auto v = it->second.find(labels);
  return v == it->second.end() ? 0 : v->second;
}

std::string Metrics::render() {
  std::map<std::string, std::function<double()>> gauges;
  std::ostringstream out;
  {
    std::lock_guard lock(mutex_);
    gauges = gauges_;
    const auto header = [&](const std::string& name, const std::string& fallback_type) {
      const auto it = help_.find(name);
      if (it != help_.end()) out << "# HELP " << name << " " << it->second.first << "\n";
      out << "# TYPE " << name << " " << (it != help_.end() ? it->second.second : fallback_type) << "\n";
    };
    for (const auto& [name, series] : counters_) {
      header(name, "counter");
      for (const auto& [labels, v] : series) out << name << render_labels(labels) << " " << number(v) << "\n";
    }
    for (const auto& [name, series] : histograms_) {
      header(name, "histogram");
      for (const auto& [labels, h] : series) {
        for (std::size_t i = 0; i < latency_buckets.size(); ++i)
          out << name << "_bucket" << render_labels(labels, "le=\"" + number(latency_buckets[i]) + "\"") << " "
              << h.buckets[i] << "\n";
        out << name << "_bucket" << render_labels(labels, "le=\"+Inf\"") << " " << h.count << "\n";
        out << name << "_sum" << render_labels(labels) << " " << number(h.sum) << "\n";
        out << name << "_count" << render_labels(labels) << " " << h.count << "\n";
      }
    }
  }
  // Read outside the lock: a gauge may query the database.
  for (const auto& [name, read] : gauges) {
    double v = 0;
    try {
      v = read();
    } catch (const std::exception&) {
      continue;
    }
    out << "# TYPE " << name << " gauge\n" << name << " " << number(v) << "\n";
  }
  return out.str();
}

}  // namespace whygo
