// Files under data/ compiled into the binary (see cmake/embed.cmake).
#pragma once
#include <string_view>

namespace whygo::embedded {
extern const std::string_view wiki_md;           // data/WhyGo.md
extern const std::string_view synonyms_txt;      // data/synonyms.txt
extern const std::string_view migration_001;     // data/migrations/001_catalog.sql
extern const std::string_view migration_002;     // data/migrations/002_seen_events.sql
extern const std::string_view migration_003;     // data/migrations/003_curation.sql
extern const std::string_view migration_004;     // data/migrations/004_story.sql
extern const std::string_view migration_005;     // data/migrations/005_suggestion_places.sql
extern const std::string_view migration_006;     // data/migrations/006_search_feed.sql
extern const std::string_view migration_007;     // data/migrations/007_installations.sql
extern const std::string_view migration_008;     // data/migrations/008_web.sql
extern const std::string_view migration_009;     // data/migrations/009_sync_positions.sql
extern const std::string_view migration_010;     // data/migrations/010_link_health.sql
extern const std::string_view migration_011;     // data/migrations/011_upstream.sql
extern const std::string_view migration_012;     // data/migrations/012_write_allowance.sql
extern const std::string_view pg_migration_001;  // data/migrations/postgresql/001_schema.sql
extern const std::string_view pg_migration_002;  // data/migrations/postgresql/002_link_health.sql
extern const std::string_view pg_migration_003;  // data/migrations/postgresql/003_upstream.sql
extern const std::string_view pg_migration_004;  // data/migrations/postgresql/004_write_allowance.sql
}  // namespace whygo::embedded
