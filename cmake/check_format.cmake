# ctest's clang_format test: fails when a C++ source of the project differs from what clang-format makes of it
# with the checked-in .clang-format. Run as
#   cmake -DCLANG_FORMAT=<path> -DSOURCE_DIR=<repository root> -P check_format.cmake
# Build trees (any top-level folder holding a CMakeCache.txt) are not sources and are skipped.
if(NOT CLANG_FORMAT)
    message(FATAL_ERROR "clang-format was not found at configure time (Debian: apt-get install clang-format)")
endif()
file(GLOB top_level RELATIVE ${SOURCE_DIR} ${SOURCE_DIR}/*)
set(sources)
foreach(entry IN LISTS top_level)
    if(IS_DIRECTORY ${SOURCE_DIR}/${entry} AND NOT entry MATCHES "^\\." AND NOT EXISTS ${SOURCE_DIR}/${entry}/CMakeCache.txt)
        file(GLOB_RECURSE found ${SOURCE_DIR}/${entry}/*.cpp ${SOURCE_DIR}/${entry}/*.hpp)
        list(APPEND sources ${found})
    endif()
endforeach()
list(SORT sources)
list(LENGTH sources count)
execute_process(COMMAND ${CLANG_FORMAT} --dry-run --Werror ${sources}
    WORKING_DIRECTORY ${SOURCE_DIR}
    RESULT_VARIABLE result
    ERROR_VARIABLE diagnostics)
if(NOT result EQUAL 0)
    # One line per offending place ("file:line:col: error: code should be clang-formatted"), not the source.
    string(REGEX MATCHALL "[^\n]*: error: [^\n]*" places "${diagnostics}")
    list(JOIN places "\n" places)
    message(FATAL_ERROR "${places}\nThese files are not formatted; run from the repository root:\n"
                        "  clang-format -i $(git ls-files '*.cpp' '*.hpp')")
endif()
message(STATUS "${count} C++ sources are formatted")
