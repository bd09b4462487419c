# What `cmake --install` puts on a system, and the Debian package CPack makes of it
# (`./dev.sh package`). Everything a desktop user or an operator gets that is not the binary.
include(GNUInstallDirs)
set(STICKYBOARD_PACKAGING_DIR ${PROJECT_SOURCE_DIR}/packaging)
set(STICKYBOARD_RESOURCES_DIR ${PROJECT_SOURCE_DIR}/resources)
# /etc, also when the prefix is /usr (GNUInstallDirs' rule for system prefixes).
set(STICKYBOARD_SYSCONFDIR ${CMAKE_INSTALL_FULL_SYSCONFDIR})

# Bind every symbol at start-up, so the GOT can be read-only (lintian: hardening-no-bindnow).
target_link_options(stickyboard PRIVATE -Wl,-z,relro -Wl,-z,now)

# Icon PNGs for the hicolor theme, rendered from the SVG at build time by a Qt program, so
# they can never drift from it. (The SVG itself is installed by resources/CMakeLists.txt.)
set(STICKYBOARD_ICON_SIZES 16 22 24 32 48 64 128 256)
add_executable(stickyboard-render-icon ${STICKYBOARD_RESOURCES_DIR}/tools/render-icon.cpp)
target_link_libraries(stickyboard-render-icon PRIVATE Qt6::Gui Qt6::Svg)
set(_icon_out ${CMAKE_BINARY_DIR}/icons/hicolor)
set(_icon_pngs "")
foreach(size IN LISTS STICKYBOARD_ICON_SIZES)
    list(APPEND _icon_pngs ${_icon_out}/${size}x${size}/apps/stickyboard.png)
    install(FILES ${_icon_out}/${size}x${size}/apps/stickyboard.png
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
endforeach()
# (In an ASan build, LeakSanitizer would fail the build over Qt's start-up allocations.)
add_custom_command(OUTPUT ${_icon_pngs}
    COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen ASAN_OPTIONS=detect_leaks=0
        $<TARGET_FILE:stickyboard-render-icon> ${STICKYBOARD_RESOURCES_DIR}/icons/stickyboard.svg
        ${_icon_out} ${STICKYBOARD_ICON_SIZES}
    DEPENDS stickyboard-render-icon ${STICKYBOARD_RESOURCES_DIR}/icons/stickyboard.svg
    COMMENT "Rendering the icon at ${STICKYBOARD_ICON_SIZES} px" VERBATIM)
add_custom_target(stickyboard_icons ALL DEPENDS ${_icon_pngs})

# stickyboard(1), made by help2man from the built binary's --help and --version: the man page
# and --help come from the same QCommandLineParser table, so they cannot drift.
find_program(HELP2MAN_EXECUTABLE help2man)
find_program(GZIP_EXECUTABLE gzip)
if(HELP2MAN_EXECUTABLE AND GZIP_EXECUTABLE)
    set(_man ${CMAKE_BINARY_DIR}/man/stickyboard.1)
    add_custom_command(OUTPUT ${_man}.gz
        COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
        COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen ASAN_OPTIONS=detect_leaks=0
            ${HELP2MAN_EXECUTABLE}
            --no-info --section=1
            "--name=sticky backend routing dashboard for LLM worker fleets"
            --include=${STICKYBOARD_PACKAGING_DIR}/stickyboard.h2m
            --output=${_man} $<TARGET_FILE:stickyboard>
        COMMAND ${GZIP_EXECUTABLE} -n -9 -f ${_man}
        DEPENDS stickyboard ${STICKYBOARD_PACKAGING_DIR}/stickyboard.h2m
        COMMENT "Generating stickyboard(1) from --help" VERBATIM)
    add_custom_target(stickyboard_man ALL DEPENDS ${_man}.gz)
    install(FILES ${_man}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
    message(WARNING "help2man or gzip not found: no man page (./dev.sh installs help2man)")
endif()

# Debian's changelog for this native package (lintian wants it), gzipped like dh does.
configure_file(${STICKYBOARD_PACKAGING_DIR}/changelog.Debian.in ${CMAKE_BINARY_DIR}/doc/changelog @ONLY)
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/doc/changelog.gz
    COMMAND ${GZIP_EXECUTABLE} -n -9 -k -f ${CMAKE_BINARY_DIR}/doc/changelog
    DEPENDS ${CMAKE_BINARY_DIR}/doc/changelog VERBATIM)
add_custom_target(stickyboard_changelog ALL DEPENDS ${CMAKE_BINARY_DIR}/doc/changelog.gz)

set(_docdir ${CMAKE_INSTALL_DATADIR}/doc/stickyboard)
install(FILES ${STICKYBOARD_PACKAGING_DIR}/copyright ${CMAKE_BINARY_DIR}/doc/changelog.gz
    ${PROJECT_SOURCE_DIR}/CHANGELOG.md ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${_docdir})
install(FILES ${STICKYBOARD_RESOURCES_DIR}/io.github.stickyboard.Stickyboard.metainfo.xml
    DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${STICKYBOARD_RESOURCES_DIR}/prometheus/stickyboard.rules.yml
    ${STICKYBOARD_RESOURCES_DIR}/grafana/stickyboard.json
    DESTINATION ${CMAKE_INSTALL_DATADIR}/stickyboard)

# The exporter service: installed, never enabled by the package.
install(FILES ${STICKYBOARD_PACKAGING_DIR}/systemd/stickyboard-exporter.service
    DESTINATION ${CMAKE_INSTALL_PREFIX}/lib/systemd/system)
install(FILES ${STICKYBOARD_PACKAGING_DIR}/default/stickyboard
    DESTINATION ${STICKYBOARD_SYSCONFDIR}/default)

# --- the Debian package -------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME stickyboard)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "The Stickyboard developers")
set(CPACK_PACKAGE_CONTACT "The Stickyboard developers <stickyboard@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "sticky backend routing dashboard for LLM worker fleets")
# CPack puts the summary on the first line; this is the extended description.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Workers run long jobs that call an LLM gateway; each request names a preferred
backend so its KV cache is reused. Stickyboard shows, per job, the backend the
job is on and whether the database (jobs.last_backend_id) agrees, live, in a
window or headless. It simulates, replays and injects write faults, and watches
a real jobs table on SQLite or PostgreSQL read-only.
.
Operators get Prometheus /metrics, alert rules, a Grafana dashboard and a
hardened systemd service, stickyboard-exporter.service (not enabled).")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/stickyboard/stickyboard")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
# Libraries the linker sees come from dpkg-shlibdeps; what is loaded at run time (QML modules,
# SQL drivers, platform plugins) from the list packaging/find-runtime-deps.sh writes.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
file(STRINGS ${STICKYBOARD_PACKAGING_DIR}/runtime-depends.txt _runtime_deps REGEX "^[a-z0-9]")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${STICKYBOARD_PACKAGING_DIR}/runtime-depends.txt)
list(JOIN _runtime_deps ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
# /etc/default/stickyboard is the administrator's: dpkg keeps their edits on upgrade.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_BINARY_DIR}/debian/conffiles)
file(WRITE ${CMAKE_BINARY_DIR}/debian/conffiles "${STICKYBOARD_SYSCONFDIR}/default/stickyboard\n")
# The package's absolute paths (/etc/default, the conffile) follow CMAKE_INSTALL_PREFIX: a
# package from a /usr/local tree would put them in the wrong place. cpack refuses that.
file(WRITE ${CMAKE_BINARY_DIR}/debian/CPackChecks.cmake
    "if(NOT \"${CMAKE_INSTALL_PREFIX}\" STREQUAL \"/usr\")\n"
    "  message(FATAL_ERROR \"configure with -DCMAKE_INSTALL_PREFIX=/usr to package (./dev.sh package does)\")\n"
    "endif()\n")
set(CPACK_PROJECT_CONFIG_FILE ${CMAKE_BINARY_DIR}/debian/CPackChecks.cmake)
include(CPack)
