// Writes a synthetic catalog (bench/synthetic.hpp) as a wiki page, for `whygo import` and the
// end-to-end runs at catalog sizes the bundled page does not reach, and optionally a file of
// distinct queries over it (one "kind<TAB>text" a line) for first askings over HTTP.
//
//   whygo_bench_wiki LINKS WIKI_FILE [QUERIES_FILE COUNT]
#include <fstream>
#include <iostream>
#include <string>

#include "bench/synthetic.hpp"
#include "bot/wiki.hpp"

int main(int argc, char** argv) {
  if (argc != 3 && argc != 5) {
    std::cerr << "usage: whygo_bench_wiki LINKS WIKI_FILE [QUERIES_FILE COUNT]\n";
    return 2;
  }
  const std::vector<std::string> sections = {"Why Go", "Benchmarks", "Conference & Meetup", "Articles", "Talks"};
  whygo::bench::Synthetic synthetic;
  const auto links = synthetic.catalog(std::stoul(argv[1]), sections);
  std::ofstream wiki(argv[2], std::ios::binary | std::ios::trunc);
  wiki << whygo::wiki::render(sections, links);
  if (!wiki.flush()) {
    std::cerr << "cannot write " << argv[2] << "\n";
    return 1;
  }
  if (argc == 5) {
    std::ofstream queries(argv[3], std::ios::binary | std::ios::trunc);
    for (const auto& [kind, text] : synthetic.queries(std::stoul(argv[4]))) queries << kind << '\t' << text << '\n';
    if (!queries.flush()) {
      std::cerr << "cannot write " << argv[3] << "\n";
      return 1;
    }
  }
  return 0;
}
