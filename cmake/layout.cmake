# The walls between folders. A target sees only the folders it is given: `#include "bot/x.hpp"`
# resolves through a folder of links in the build tree, so a header from a folder the target may
# not use does not compile. Arrows run from app/ to adapters/ and commands/, and from those to
# bot/, never back.
#
# whygo_expose(TARGET PUBLIC|PRIVATE FOLDER...): TARGET (and, if PUBLIC, whatever links it) may
# include headers from each FOLDER, written from the repository root.
function(whygo_expose target scope)
  set(root ${CMAKE_BINARY_DIR}/include/${target})
  foreach(folder IN LISTS ARGN)
    get_filename_component(parent ${root}/${folder} DIRECTORY)
    file(MAKE_DIRECTORY ${parent})
    if(NOT EXISTS ${root}/${folder})
      file(CREATE_LINK ${CMAKE_SOURCE_DIR}/${folder} ${root}/${folder} SYMBOLIC)
    endif()
  endforeach()
  target_include_directories(${target} ${scope} ${root})
endfunction()

# The same walls for includes the compiler would resolve anyway (relative "../" paths): checked
# on every build, and as a test.
add_custom_target(layout_check ALL
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -P ${CMAKE_SOURCE_DIR}/cmake/check_layout.cmake
  COMMENT "Checking includes against the layout"
  VERBATIM)
