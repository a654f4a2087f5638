# Fails when an include crosses a wall: bot/ names no adapter, command or app file; commands/
# name no adapter or app file; an adapter names no other adapter, no command and no app file;
# nobody climbs out of a folder with "../". Usage: cmake -DSOURCE_DIR=<repo> -P check_layout.cmake
set(problems "")
file(GLOB_RECURSE sources RELATIVE ${SOURCE_DIR}
  ${SOURCE_DIR}/bot/*.cpp ${SOURCE_DIR}/bot/*.hpp
  ${SOURCE_DIR}/commands/*.cpp ${SOURCE_DIR}/commands/*.hpp
  ${SOURCE_DIR}/adapters/*.cpp ${SOURCE_DIR}/adapters/*.hpp
  ${SOURCE_DIR}/app/*.cpp ${SOURCE_DIR}/app/*.hpp
  ${SOURCE_DIR}/tests/*.cpp ${SOURCE_DIR}/tests/*.hpp
  ${SOURCE_DIR}/fuzz/*.cpp ${SOURCE_DIR}/fuzz/*.hpp
  ${SOURCE_DIR}/bench/*.cpp ${SOURCE_DIR}/bench/*.hpp)
foreach(source IN LISTS sources)
  file(STRINGS ${SOURCE_DIR}/${source} includes REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
  set(forbidden "")
  if(source MATCHES "^bot/")
    set(forbidden "^(adapters|commands|app)/")
  elseif(source MATCHES "^commands/")
    set(forbidden "^(adapters|app)/")
  elseif(source MATCHES "^adapters/([^/]+)/")
    set(own ${CMAKE_MATCH_1})
    set(forbidden "^(commands|app|adapters)/")
  endif()
  foreach(line IN LISTS includes)
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([^\"]*)\".*" "\\1" header "${line}")
    if(header MATCHES "^\\.\\./|/\\.\\./")
      string(APPEND problems "  ${source}: #include \"${header}\": write it from the repository root\n")
    elseif(forbidden AND header MATCHES "${forbidden}")
      if(header MATCHES "^adapters/([^/]+)/")
        if(CMAKE_MATCH_1 STREQUAL own)
          continue()  # an adapter's own files
        endif()
      endif()
      string(APPEND problems "  ${source}: #include \"${header}\" crosses a wall of the layout (README, Layout)\n")
    endif()
  endforeach()
endforeach()
if(problems)
  message(FATAL_ERROR "Includes against the layout:\n${problems}")
endif()
