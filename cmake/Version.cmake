# The version --version prints: PROJECT_VERSION, plus `git describe` in a git checkout.
# Computed at configure time; CMake re-runs when HEAD moves (a commit, a checkout), so the
# description follows the tree without recompiling anything but main.cpp.
find_package(Git QUIET)
set(STICKYBOARD_GIT_DESCRIBE "")
if(GIT_FOUND)
    execute_process(COMMAND ${GIT_EXECUTABLE} -C ${PROJECT_SOURCE_DIR} describe --tags --always --dirty
        OUTPUT_VARIABLE STICKYBOARD_GIT_DESCRIBE OUTPUT_STRIP_TRAILING_WHITESPACE
        RESULT_VARIABLE _git_result ERROR_QUIET)
    if(NOT _git_result EQUAL 0)
        set(STICKYBOARD_GIT_DESCRIBE "")
    else()
        # A worktree's HEAD and reflog live in its own git dir; logs/HEAD changes on every move.
        execute_process(COMMAND ${GIT_EXECUTABLE} -C ${PROJECT_SOURCE_DIR} rev-parse --absolute-git-dir
            OUTPUT_VARIABLE _git_dir OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
        foreach(_f HEAD logs/HEAD)
            if(EXISTS "${_git_dir}/${_f}")
                set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_git_dir}/${_f}")
            endif()
        endforeach()
    endif()
endif()
if(STICKYBOARD_GIT_DESCRIBE)
    set(STICKYBOARD_VERSION_FULL "${PROJECT_VERSION} (git ${STICKYBOARD_GIT_DESCRIBE})")
else()
    set(STICKYBOARD_VERSION_FULL "${PROJECT_VERSION}")
endif()
# Only main.cpp sees it, so a new commit recompiles one file.
set_source_files_properties(app/main.cpp DIRECTORY app
    PROPERTIES COMPILE_DEFINITIONS "STICKYBOARD_VERSION_FULL=\"${STICKYBOARD_VERSION_FULL}\"")
message(STATUS "Stickyboard version: ${STICKYBOARD_VERSION_FULL}")
