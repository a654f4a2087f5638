#include "app.hpp"

#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "../commands/builtin.hpp"
#include "embedded.hpp"
#include "wiki.hpp"

namespace whygo {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

ImportCounts import_wiki(Store& store, std::string_view markdown) {
  const wiki::Page page = wiki::parse(markdown);
  return store.import_links(page.sections, page.links);
}

App::App(const Config& config, const Clock& clock) : config_(config), clock_(clock) {
  store_ = std::make_unique<Store>(config_.db_path);
  if (!store_->seeded()) {
    const ImportCounts counts = import_wiki(*store_, embedded::wiki_md);
    spdlog::info("new database {}: imported the bundled catalog ({} links)", config_.db_path, counts.added);
  }
  const std::string synonyms_text =
      config_.synonyms_path.empty() ? std::string(embedded::synonyms_txt) : read_file(config_.synonyms_path);
  Synonyms synonyms = Synonyms::parse(synonyms_text);
  for (const auto& error : synonyms.errors())
    spdlog::warn("synonyms {}: {}", config_.synonyms_path.empty() ? "(bundled)" : config_.synonyms_path, error);
  search_ = std::make_unique<Search>(*store_, std::move(synonyms));
  dispatcher_ = std::make_unique<Dispatcher>(*store_, *search_, clock_, config_.admins);
  commands::register_all(*dispatcher_);
}

}  // namespace whygo
