# winglet_add_plugin(<name> KIND <importer|target|optimizer|exporter> SOURCES <src>...)
#
# Builds a winglet plugin: a shared module that exports only `winglet_plugin_entry`, linked to the
# header-only SDK. Used in tree and, through find_package(winglet), by out-of-tree plugins.
function(winglet_add_plugin name)
  cmake_parse_arguments(ARG "" "KIND" "SOURCES" ${ARGN})
  set(kinds importer target optimizer exporter)
  if(NOT ARG_KIND IN_LIST kinds)
    message(FATAL_ERROR "winglet_add_plugin(${name}): KIND must be one of ${kinds}, got '${ARG_KIND}'")
  endif()
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "winglet_add_plugin(${name}): SOURCES is empty")
  endif()
  add_library(${name} MODULE ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE winglet::plugin_api)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "winglet-${ARG_KIND}-${name}"
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # Unresolved symbols are an error at link time, not a surprise at load time.
  target_link_options(${name} PRIVATE "LINKER:--no-undefined")
  if(DEFINED WINGLET_PLUGIN_OUTPUT_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${WINGLET_PLUGIN_OUTPUT_DIR}")
  endif()
  if(DEFINED WINGLET_PLUGIN_INSTALL_DIR)
    install(TARGETS ${name} LIBRARY DESTINATION "${WINGLET_PLUGIN_INSTALL_DIR}")
  endif()
endfunction()
