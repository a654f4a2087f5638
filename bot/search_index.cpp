#include "bot/search_index.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <thread>
#include <unordered_map>

#include "bot/search_terms.hpp"

namespace whygo {
namespace {

namespace fs = std::filesystem;

// Written into the index; an index of another format is rebuilt. Change it whenever
// search_terms.cpp indexes a link differently.
constexpr const char* format = "whygo-search-2";
constexpr const char* format_key = "whygo:format";
constexpr const char* version_key = "whygo:catalog_version";
constexpr const char* catalog_key = "whygo:catalog_id";

// Catching up by more rows than this (or than the index holds) builds a new index instead: adding
// to an empty database is about twice as fast as replacing documents one by one.
constexpr std::size_t rebuild_above_rows = 10'000;
// A rebuild commits every so many links, which bounds its memory (Xapian keeps changes in memory
// until a commit); readers see none of it until the new folder is switched in.
constexpr std::size_t rebuild_batch = 5'000;
constexpr std::size_t progress_every = 1'000;

std::int64_t meta_int(const Xapian::Database& db, const char* key) {
  const std::string value = db.get_metadata(key);
  if (value.empty()) return std::numeric_limits<std::int64_t>::min();
  try {
    return std::stoll(value);
  } catch (const std::exception&) {
    return std::numeric_limits<std::int64_t>::min();
  }
}

// Document data: the link's fields, each as a decimal length, ':' and the bytes.
void put(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

std::string get(std::string_view& in) {
  const std::size_t colon = in.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 10) throw SearchIndexError("bad document data");
  std::size_t length = 0;
  for (std::size_t i = 0; i < colon; ++i) {
    if (in[i] < '0' || in[i] > '9') throw SearchIndexError("bad document data");
    length = length * 10 + static_cast<std::size_t>(in[i] - '0');
  }
  if (in.size() - colon - 1 < length) throw SearchIndexError("bad document data");
  std::string field(in.substr(colon + 1, length));
  in.remove_prefix(colon + 1 + length);
  return field;
}

std::string data_of(const Link& link) {
  std::string tags;
  for (const auto& tag : link.tags) tags += (tags.empty() ? "" : " ") + tag;
  std::string out;
  for (const std::string_view field :
       {std::string_view(link.title), std::string_view(link.url), std::string_view(link.author),
        std::string_view(link.medium), std::string_view(link.section), std::string_view(link.subject),
        std::string_view(tags), to_string(link.origin)})
    put(out, field);
  return out;
}

Xapian::Document document_of(const Link& link, const search_terms::Terms& terms) {
  Xapian::Document doc;
  for (const auto& word : terms.words) doc.add_term(word.text, word.weight);
  for (const auto& key : terms.keys) doc.add_boolean_term(key);
  doc.set_data(data_of(link));
  return doc;
}

// Xapian numbers documents from 1 to 2^32 - 1; a link's id is its document's.
bool indexable_id(std::int64_t id) {
  return id >= 1 && id <= static_cast<std::int64_t>(std::numeric_limits<Xapian::docid>::max());
}

bool warn_if_unindexable(std::int64_t id) {
  if (indexable_id(id)) return false;
  spdlog::warn("search index: link id {} cannot be indexed (Xapian ids end at 2^32 - 1)", id);
  return true;
}

// Replaces the link's document (or takes it out), keeping the spelling table in step.
void apply(Xapian::WritableDatabase& db, const CatalogRow& row) {
  if (warn_if_unindexable(row.link.id)) return;
  const auto docid = static_cast<Xapian::docid>(row.link.id);
  try {
    const Link old = SearchIndex::link_of(db.get_document(docid));
    for (const auto& word : search_terms::of(old).spellings) db.remove_spelling(word);
  } catch (const Xapian::DocNotFoundError&) {
    // a new link
  }
  if (row.removed) {
    try {
      db.delete_document(docid);
    } catch (const Xapian::DocNotFoundError&) {
      // never indexed
    }
    return;
  }
  const auto terms = search_terms::of(row.link);
  for (const auto& word : terms.spellings) db.add_spelling(word);
  db.replace_document(docid, document_of(row.link, terms));
}

void write_meta(Xapian::WritableDatabase& db, const CatalogChanges& changes) {
  db.set_metadata(format_key, format);
  db.set_metadata(version_key, std::to_string(changes.version));
  db.set_metadata(catalog_key, std::to_string(changes.catalog_id));
}

// The lock on the index folder: one writer at a time, across processes and within one (flock
// locks belong to the open file, so two opens in one process exclude each other too).
class FolderLock {
 public:
  FolderLock(const std::string& root, std::chrono::milliseconds wait) {
    fd_ = ::open((root + "/lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw SearchIndexError("cannot open " + root + "/lock: " + std::strerror(errno));
    const auto until = std::chrono::steady_clock::now() + wait;
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR)
        throw SearchIndexError(std::string("cannot lock the search index: ") + std::strerror(errno));
      if (std::chrono::steady_clock::now() >= until) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    held_ = true;
  }
  ~FolderLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
  }
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;
  bool held() const { return held_; }

 private:
  int fd_ = -1;
  bool held_ = false;
};

std::string read_pointer(const std::string& root) {
  std::ifstream in(root + "/current");
  std::string name;
  std::getline(in, name);
  // Only a folder name this code writes: g followed by digits.
  if (name.size() < 2 || name[0] != 'g' || name.find_first_not_of("0123456789", 1) != std::string::npos) return {};
  return name;
}

void write_pointer(const std::string& root, const std::string& name) {
  const std::string tmp = root + "/current.tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw SearchIndexError("cannot write " + tmp + ": " + std::strerror(errno));
  const std::string line = name + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written || std::rename(tmp.c_str(), (root + "/current").c_str()) != 0)
    throw SearchIndexError("cannot write " + root + "/current: " + std::strerror(errno));
  const int dir = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

// Makes a folder written without syncing durable: its files, then the folder itself.
void sync_folder(const std::string& folder) {
  for (const auto& entry : fs::directory_iterator(folder)) {
    const int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) throw SearchIndexError("cannot sync " + entry.path().string() + ": " + std::strerror(errno));
  }
  const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

std::uint64_t generation_number(const std::string& name) {
  if (name.size() < 2 || name[0] != 'g' || name.size() > 19 ||
      name.find_first_not_of("0123456789", 1) != std::string::npos)
    return 0;
  return std::stoull(name.substr(1));
}

// "" when `root` is (or can be made) a folder whose lock file this process can write.
std::string folder_problem(const std::string& root) {
  std::error_code error;
  fs::create_directories(root, error);
  if (!fs::is_directory(root, error)) return error ? error.message() : "not a folder";
  const int fd = ::open((root + "/lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return std::strerror(errno);
  ::close(fd);
  return {};
}

// A folder of our own for the index when the store has none, or its own is unusable.
std::string temporary_root() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/whygo-search-XXXXXX";
  if (!::mkdtemp(pattern.data()))
    throw SearchIndexError(std::string("cannot make a temporary folder: ") + std::strerror(errno));
  return pattern;
}

}  // namespace

SearchIndex::SearchIndex(CatalogFeed& feed, std::chrono::milliseconds wait, const Progress& progress) : feed_(feed) {
  root_ = feed_.index_location();
  if (!root_.empty()) {
    if (const std::string problem = folder_problem(root_); !problem.empty()) {
      spdlog::warn("search index: cannot use {} ({}); keeping the index in a temporary folder", root_, problem);
      root_.clear();
    }
  }
  if (root_.empty()) {
    root_ = temporary_root();
    temporary_ = true;
  }
  if (!follow(feed_.catalog_version(), wait, progress))
    throw SearchIndexError("the search index " + root_ + " could not be brought up to date (see the log)");
}

SearchIndex::~SearchIndex() {
  idle_.clear();
  if (temporary_) {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
}

bool SearchIndex::follow(std::int64_t version, std::chrono::milliseconds wait, const Progress& progress) {
  if (version <= version_.load()) return true;
  std::lock_guard lock(update_mutex_);
  if (version <= version_.load()) return true;
  if (std::chrono::steady_clock::now() < busy_until_) wait = std::chrono::milliseconds(0);
  try {
    return update(wait, progress);
  } catch (const std::exception& e) {
    spdlog::error("search index {}: cannot bring it up to catalog version {}: {}", root_, version, e.what());
  } catch (const Xapian::Error& e) {
    spdlog::error("search index {}: cannot bring it up to catalog version {}: {}", root_, version, e.get_description());
  }
  return false;
}

bool SearchIndex::update(std::chrono::milliseconds wait, const Progress& progress) {
  std::error_code ignored;
  fs::create_directories(root_, ignored);  // someone may have deleted it meanwhile: it is built again
  FolderLock lock(root_, wait);
  if (!lock.held()) {
    busy_until_ = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    if (!busy_logged_)
      spdlog::warn("search index {}: another process is writing it; answering from catalog version {} meanwhile", root_,
                   version_.load());
    busy_logged_ = true;
    return false;
  }
  busy_logged_ = false;
  const std::string live = live_folder();
  std::unique_ptr<Xapian::WritableDatabase> db;
  std::string why;
  if (live.empty()) {
    why = "there is none yet";
  } else {
    try {
      db = std::make_unique<Xapian::WritableDatabase>(root_ + "/" + live, Xapian::DB_OPEN);
      if (db->get_metadata(format_key) != format) why = "it was written by another version of whygo";
    } catch (const Xapian::Error& e) {
      why = "it cannot be opened (" + e.get_description() + ")";
    }
  }
  if (why.empty()) {
    const std::int64_t held = meta_int(*db, version_key);
    CatalogChanges changes = feed_.changes_since(held);
    if (changes.catalog_id != meta_int(*db, catalog_key)) {
      why = "it was built from another catalog";
    } else if (changes.version < held) {
      why = "it is ahead of the catalog (was the database restored from a backup?)";
    } else if (changes.rows.size() > rebuild_above_rows && changes.rows.size() > db->get_doccount()) {
      why = std::to_string(changes.rows.size()) + " links changed";
    } else if (!changes.rows.empty()) {
      try {
        db->begin_transaction();
        for (std::size_t i = 0; i < changes.rows.size(); ++i) {
          apply(*db, changes.rows[i]);
          if (progress && (i + 1) % progress_every == 0) progress(i + 1, changes.rows.size());
        }
        write_meta(*db, changes);
        db->commit_transaction();  // readers see all of it or none
        if (progress) progress(changes.rows.size(), changes.rows.size());
      } catch (const std::exception& e) {  // SearchIndexError: a document it cannot read
        why = std::string("updating it failed (") + e.what() + ")";
      } catch (const Xapian::Error& e) {
        why = "updating it failed (" + e.get_description() + ")";
      }
    }
    if (why.empty()) {
      db.reset();
      version_.store(changes.version);
      generation_.fetch_add(1);
      return true;
    }
  }
  db.reset();
  rebuild(why, progress);
  return true;
}

void SearchIndex::rebuild(const std::string& why, const Progress& progress) {
  const auto started = std::chrono::steady_clock::now();
  // Every g<N> folder is ours; the new one numbers past all of them, and the others go after.
  std::uint64_t highest = 0;
  std::vector<fs::path> old;
  for (const auto& entry : fs::directory_iterator(root_)) {
    const std::uint64_t n = generation_number(entry.path().filename().string());
    if (n == 0) continue;
    highest = std::max(highest, n);
    old.push_back(entry.path());
  }
  const std::string name = "g" + std::to_string(highest + 1);
  const CatalogChanges all = feed_.changes_since(-1);
  std::size_t live = 0;
  for (const auto& row : all.rows) live += row.removed ? 0 : 1;
  spdlog::info("search index {}: building it from {} links, because {}", root_, live, why);
  {
    // Nobody reads the new folder before `current` names it, so it is written in place (less to
    // write, more compact) and its commits need not wait for the disk: it is synced once, whole,
    // before the switch. Should the build stop half-way, the folder is never named.
    Xapian::WritableDatabase db(root_ + "/" + name,
                                Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC | Xapian::DB_DANGEROUS);
    std::size_t done = 0;
    std::unordered_map<std::string, Xapian::termcount> spellings;  // word: how many links have it
    for (const auto& row : all.rows) {
      if (row.removed || warn_if_unindexable(row.link.id)) continue;
      const auto terms = search_terms::of(row.link);
      for (const auto& word : terms.spellings) ++spellings[word];
      db.replace_document(static_cast<Xapian::docid>(row.link.id), document_of(row.link, terms));
      if (++done % rebuild_batch == 0) db.commit();
      if (progress && done % progress_every == 0) progress(done, live);
    }
    // Once per word, not once per link: Xapian's spelling table costs per call.
    for (const auto& [word, links] : spellings) db.add_spelling(word, links);
    write_meta(db, all);
    db.commit();
  }
  sync_folder(root_ + "/" + name);
  write_pointer(root_, name);
  for (const auto& folder : old) {
    std::error_code ignored;
    fs::remove_all(folder, ignored);  // a reader elsewhere that had it open opens the new one
  }
  if (progress) progress(live, live);
  version_.store(all.version);
  generation_.fetch_add(1);
  spdlog::info(
      "search index {}: {} links indexed in {} ms", root_, live,
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());
}

std::string SearchIndex::live_folder() const {
  const std::string name = read_pointer(root_);
  if (name.empty() || !fs::is_directory(root_ + "/" + name)) return {};
  return name;
}

std::unique_ptr<SearchIndex::Reader> SearchIndex::take_reader() {
  std::unique_ptr<Reader> reader;
  {
    std::lock_guard lock(pool_mutex_);
    if (!idle_.empty()) {
      reader = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!reader) reader = std::make_unique<Reader>();
  const std::uint64_t now = generation_.load();
  if (!reader->db || reader->generation != now) {
    const std::string live = live_folder();
    if (live.empty()) throw SearchIndexError("the search index " + root_ + " is missing");
    reader->db = std::make_unique<Xapian::Database>(root_ + "/" + live);
    reader->generation = now;
  }
  return reader;
}

void SearchIndex::give_back(std::unique_ptr<Reader> reader) {
  std::lock_guard lock(pool_mutex_);
  idle_.push_back(std::move(reader));
}

std::size_t SearchIndex::size() {
  return read([](const Xapian::Database& db) { return static_cast<std::size_t>(db.get_doccount()); });
}

Link SearchIndex::link_of(const Xapian::Document& document) {
  const std::string data = document.get_data();
  std::string_view in = data;
  Link link;
  link.id = static_cast<std::int64_t>(document.get_docid());
  link.title = get(in);
  link.url = get(in);
  link.author = get(in);
  link.medium = get(in);
  link.section = get(in);
  link.subject = get(in);
  const std::string tags = get(in);
  link.origin = parse_link_origin(get(in)).value_or(LinkOrigin::wiki);
  for (std::size_t at = 0; at < tags.size();) {
    const std::size_t space = tags.find(' ', at);
    const std::size_t end = space == std::string::npos ? tags.size() : space;
    if (end > at) link.tags.push_back(tags.substr(at, end - at));
    at = end + 1;
  }
  return link;
}

}  // namespace whygo
