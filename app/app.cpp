#include "app/app.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "bot/embedded.hpp"
#include "bot/settings.hpp"
#include "bot/wiki.hpp"
#include "commands/builtin.hpp"

namespace whygo {

ImportCounts import_wiki(Database& store, std::string_view markdown, std::int64_t now) {
  const wiki::Page page = wiki::parse(markdown);
  return store.import_links(page.sections, page.links, now);
}

App::App(const Config& config, const Clock& clock, bool seed_new) : config_(config), clock_(clock) {
  store_ = open_database(config_.db_path);
  if (seed_new && !store_->seeded()) {
    const ImportCounts counts = import_wiki(*store_, embedded::wiki_md, unix_seconds(clock_));
    spdlog::info("new database {}: imported the bundled catalog ({} links)", store_->describe(), counts.added);
  }
  std::string synonyms_text(embedded::synonyms_txt);
  if (!config_.synonyms_path.empty()) {
    try {
      synonyms_text = settings::read_file(config_.synonyms_path, "synonyms (WHYGO_SYNONYMS)");
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(std::string(e.what()) +
                               "; fix the path, or unset WHYGO_SYNONYMS (and \"synonyms\" in the --config file) "
                               "to use the bundled list");
    }
  }
  Synonyms synonyms = Synonyms::parse(synonyms_text);
  for (const auto& error : synonyms.errors())
    spdlog::warn("synonyms {}: {}", config_.synonyms_path.empty() ? "(bundled)" : config_.synonyms_path, error);
  // Searches read the catalog version from memory, kept current by the store's watcher.
  watch_ = std::make_unique<CatalogWatch>(*store_);
  search_ = std::make_unique<Search>(*watch_, std::move(synonyms));
  syncer_ = std::make_unique<upstream::Syncer>(*store_, upstream::safe_fetch(config_.fetch_allow, config_.public_url),
                                               clock_, config_.upstream_url);
  Services services{*store_, *store_, *store_, *store_, *search_, clock_, config_.admins};
  services.health = store_.get();
  services.upstream = syncer_.get();
  dispatcher_ = std::make_unique<Dispatcher>(services, *store_, *store_);
  commands::register_all(*dispatcher_);
}

}  // namespace whygo
