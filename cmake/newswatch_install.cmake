# What `cmake --install` puts in place besides the binaries (daemon/app), for any prefix,
# and the Debian package CPack builds from the same install. docs/OPERATIONS.md shows the
# resulting layout.

# Feed packs (every *.toml of feeds/ but the default config) and the stance model. A
# relative `include` in a config is looked for in share/newswatch/feeds after the config's
# own folder (configuration_loader.cpp), the model in share/newswatch/models (model_path).
install(DIRECTORY feeds/ DESTINATION ${CMAKE_INSTALL_DATADIR}/newswatch/feeds
        FILES_MATCHING PATTERN "*.toml" PATTERN "*.opml" PATTERN "newswatch.toml" EXCLUDE PATTERN "models" EXCLUDE)
install(DIRECTORY feeds/models/ DESTINATION ${CMAKE_INSTALL_DATADIR}/newswatch/models FILES_MATCHING PATTERN "*.bin")

# The default configuration, never over an existing one (an admin's edits survive a
# reinstall; the package's conffiles handling does the same for dpkg), the logrotate
# snippet, and the unit, whose ExecStart= names the binaries of the prefix actually
# installed to. All three are placed at install time, with GNUInstallDirs' rule applied to
# the install-time prefix: /usr gets /etc, any other prefix P gets P/etc. So
# `cmake --install --prefix P` and CPack (which installs with prefix /usr) are right
# whatever prefix the build was configured with.
install(CODE "
  if(\"\${CMAKE_INSTALL_PREFIX}\" STREQUAL \"/usr\")
    set(sysconfdir /etc)
  else()
    set(sysconfdir \"\${CMAKE_INSTALL_PREFIX}/etc\")
  endif()
  set(bindir \"${CMAKE_INSTALL_BINDIR}\")
  if(NOT IS_ABSOLUTE \"\${bindir}\")
    set(bindir \"\${CMAKE_INSTALL_PREFIX}/\${bindir}\")
  endif()
  if(EXISTS \"\$ENV{DESTDIR}\${sysconfdir}/newswatch/newswatch.toml\")
    message(STATUS \"Keeping: \$ENV{DESTDIR}\${sysconfdir}/newswatch/newswatch.toml\")
  else()
    file(INSTALL DESTINATION \"\${sysconfdir}/newswatch\" TYPE FILE
         PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
         FILES \"${PROJECT_SOURCE_DIR}/feeds/newswatch.toml\")
  endif()
  file(INSTALL DESTINATION \"\${sysconfdir}/logrotate.d\" TYPE FILE
       FILES \"${PROJECT_SOURCE_DIR}/systemd/newswatch.logrotate\" RENAME newswatch)
  # Debian bookworm keeps units in /lib/systemd/system; other prefixes get their own lib/.
  if(\"\${CMAKE_INSTALL_PREFIX}\" STREQUAL \"/usr\")
    set(unitdir /lib/systemd/system)
  else()
    set(unitdir \"\${CMAKE_INSTALL_PREFIX}/lib/systemd/system\")
  endif()
  set(NEWSWATCH_UNIT_BINDIR \"\${bindir}\")
  set(NEWSWATCH_UNIT_SYSCONFDIR \"\${sysconfdir}\")
  configure_file(\"${PROJECT_SOURCE_DIR}/systemd/newswatch.service.in\"
                 \"${PROJECT_BINARY_DIR}/systemd/newswatch.service\" @ONLY)
  file(INSTALL DESTINATION \"\${unitdir}\" TYPE FILE
       FILES \"${PROJECT_BINARY_DIR}/systemd/newswatch.service\")
")
install(FILES systemd/newswatch.sysusers DESTINATION lib/sysusers.d RENAME newswatch.conf)
install(FILES README.md docs/OPERATIONS.md docs/CONFIG.md docs/QUERIES.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

# Man pages, generated from the Markdown docs by pandoc (not written twice):
# newswatchd(8) and newswatch(1) from docs/newswatchd.8.md and docs/newswatch.1.md,
# newswatch.toml(5) from docs/CONFIG.md. Gzipped, as Debian installs them.
option(NEWSWATCH_BUILD_MAN "Generate the man pages with pandoc" ON)
if(NEWSWATCH_BUILD_MAN)
  find_program(PANDOC_EXECUTABLE pandoc)
  if(NOT PANDOC_EXECUTABLE)
    message(FATAL_ERROR "pandoc not found: run scripts/install-deps.sh, or configure with -DNEWSWATCH_BUILD_MAN=OFF")
  endif()
  set(man_pages)
  foreach(page newswatchd:8:docs/newswatchd.8.md newswatch:1:docs/newswatch.1.md newswatch.toml:5:docs/CONFIG.md)
    string(REPLACE ":" ";" fields ${page})
    list(GET fields 0 name)
    list(GET fields 1 section)
    list(GET fields 2 source)
    set(output ${PROJECT_BINARY_DIR}/man/${name}.${section}.gz)
    add_custom_command(OUTPUT ${output}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
      COMMAND sh -c "'${PANDOC_EXECUTABLE}' --standalone --to man --metadata title=${name} --metadata section=${section} --metadata header='newswatch manual' --metadata footer='newswatch ${PROJECT_VERSION}' --metadata date='' '${PROJECT_SOURCE_DIR}/${source}' | gzip -9n > '${output}'"
      DEPENDS ${PROJECT_SOURCE_DIR}/${source}
      COMMENT "pandoc ${source} -> ${name}(${section})" VERBATIM)
    install(FILES ${output} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
    list(APPEND man_pages ${output})
  endforeach()
  add_custom_target(man ALL DEPENDS ${man_pages})
endif()

# The Debian package: `cpack` in a build directory -> newswatch_<version>_amd64.deb,
# installing to /usr (config in /etc/newswatch, see above); scripts/test-package.sh
# builds it from the dev build.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME newswatch)
set(CPACK_PACKAGE_VENDOR newswatch)
set(CPACK_PACKAGE_CONTACT "newswatch maintainers <newswatch@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "news-feed monitor daemon: keyword and stance alerts from RSS, Atom and JSON feeds")
set(CPACK_PACKAGE_DESCRIPTION "newswatchd polls hundreds to many thousands of feeds, matches every new item
against boolean keyword watches (optionally with a claim whose stance a built-in
classifier decides) and delivers alerts through a durable SQLite outbox. Ships a
hardened systemd unit (installed disabled) and the NATO-Ukraine watch pack.")
set(CPACK_PACKAGE_HOMEPAGE_URL ${NEWSWATCH_PROJECT_URL})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The time zones of digests and quiet hours are read from the system's database.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "tzdata")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "logrotate, sqlite3")
set(CPACK_STRIP_FILES ON)
configure_file(packaging/debian/conffiles ${PROJECT_BINARY_DIR}/debian/conffiles COPYONLY)
foreach(script postinst prerm postrm)
  configure_file(packaging/debian/${script} ${PROJECT_BINARY_DIR}/debian/${script} COPYONLY)
endforeach()
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${PROJECT_BINARY_DIR}/debian/conffiles ${PROJECT_BINARY_DIR}/debian/postinst
    ${PROJECT_BINARY_DIR}/debian/prerm ${PROJECT_BINARY_DIR}/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
