# SPDX-License-Identifier: GPL-3.0-or-later
# Installation extras and the Debian package (CPack). Included at the end of
# the top-level CMakeLists.txt, after every install() rule of the project.
#
#   cmake --preset release -DCMAKE_INSTALL_PREFIX=/usr
#   cmake --build --preset release && cd build/release && cpack -G DEB
#
# or simply packaging/debian/build-deb.sh. See docs/PACKAGING.md.

include(${CMAKE_CURRENT_LIST_DIR}/PkgConfigFile.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/ManPages.cmake)

# ---- documentation files of the package ------------------------------------
set(TAMGA_DEB_RELEASE 1)
set(TAMGA_DEB_VERSION "${PROJECT_VERSION}-${TAMGA_DEB_RELEASE}")
set(TAMGA_DEB_MAINTAINER
    "tamga maintainers <maintainers@users.noreply.r-seed-272c7ca3.example>")
execute_process(COMMAND git log -1 --format=%cD
                WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                OUTPUT_VARIABLE TAMGA_DEB_DATE
                OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT TAMGA_DEB_DATE)
  string(TIMESTAMP TAMGA_DEB_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
endif()
configure_file(${CMAKE_SOURCE_DIR}/packaging/debian/changelog.in
               ${CMAKE_BINARY_DIR}/debian/changelog.Debian @ONLY)
find_program(TAMGA_GZIP gzip)
if(TAMGA_GZIP)
  # gzip -9n: no file name or time stamp inside, as Debian policy asks.
  execute_process(COMMAND ${TAMGA_GZIP} -9nf -k ${CMAKE_BINARY_DIR}/debian/changelog.Debian)
  install(FILES ${CMAKE_BINARY_DIR}/debian/changelog.Debian.gz
          DESTINATION ${CMAKE_INSTALL_DOCDIR})
endif()
install(FILES ${CMAKE_SOURCE_DIR}/packaging/debian/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})

# ---- CPack: the Debian package ---------------------------------------------
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "tamga")
set(CPACK_PACKAGE_VENDOR "tamga developers")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${TAMGA_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "secure offline recorder for spoken testimony")
set(TAMGA_DEB_DESCRIPTION_FILE ${CMAKE_BINARY_DIR}/debian/description.txt)
file(READ ${CMAKE_SOURCE_DIR}/packaging/debian/description.txt TAMGA_DEB_DESCRIPTION)
if(TARGET tamga_recorder)
  string(APPEND TAMGA_DEB_DESCRIPTION
         "\nIt also contains the desktop app, tamga-recorder (GTK 4), in Kazakh,\n"
         "Russian, Uyghur and English.\n")
endif()
file(WRITE ${TAMGA_DEB_DESCRIPTION_FILE} "${TAMGA_DEB_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION_FILE ${TAMGA_DEB_DESCRIPTION_FILE})
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_SOURCE_DIR}/LICENSE)

# Install where the build was configured for (-DCMAKE_INSTALL_PREFIX=/usr for
# a Debian package): paths compiled into the programs (translations) and the
# pkg-config file must match where the package puts the files.
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  message(STATUS "CPack: the .deb would install under ${CMAKE_INSTALL_PREFIX}; "
                 "configure with -DCMAKE_INSTALL_PREFIX=/usr for a Debian package")
endif()

set(CPACK_DEBIAN_PACKAGE_NAME "tamga")
set(CPACK_DEBIAN_PACKAGE_RELEASE ${TAMGA_DEB_RELEASE})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${TAMGA_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION "utils")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# Runtime dependencies come from dpkg-shlibdeps (libsodium23, libopus0, ...).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libtamga.so.0 is in the package: shlibs file and ldconfig trigger.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
# ldconfig runs through dpkg's trigger, not from maintainer scripts (lintian:
# lacks-ldconfig-trigger, maintscript-calls-ldconfig): our postinst/postrm
# replace the ones CPack would write.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/packaging/debian/triggers
    ${CMAKE_SOURCE_DIR}/packaging/debian/postinst
    ${CMAKE_SOURCE_DIR}/packaging/debian/postrm)
# Tools a partner or archivist uses beside tamga to check its files.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "minisign, age, opus-tools")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_IGNORE_FILES "/build/;/\\\\.git/")

include(CPack)
