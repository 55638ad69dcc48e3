# SPDX-License-Identifier: GPL-3.0-or-later
# Man pages, generated at build time from the built `tamga help` output by
# packaging/man/gen-man.py (one page per command, found in `tamga help`), so
# they cannot drift from --help. Written to <build>/man, installed gzipped to
# share/man/man1. Needs python3; without it there are no man pages (a notice).
if(NOT TARGET tamga_cli OR TAMGA_FUZZ OR CMAKE_CROSSCOMPILING)
  return()
endif()
find_package(Python3 COMPONENTS Interpreter QUIET)
if(NOT Python3_Interpreter_FOUND)
  message(STATUS "python3 not found: the man pages will not be built")
  return()
endif()

# The date on the pages: the commit's, so a rebuild gives the same pages.
execute_process(COMMAND git log -1 --format=%cs
                WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                OUTPUT_VARIABLE TAMGA_MAN_DATE
                OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT TAMGA_MAN_DATE)
  string(TIMESTAMP TAMGA_MAN_DATE "%Y-%m-%d" UTC)
endif()

set(TAMGA_MAN_DIR ${CMAKE_BINARY_DIR}/man)
add_custom_command(
  OUTPUT ${TAMGA_MAN_DIR}/stamp
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/packaging/man/gen-man.py
          $<TARGET_FILE:tamga_cli> ${TAMGA_MAN_DIR}
          --version ${PROJECT_VERSION} --date ${TAMGA_MAN_DATE} --gzip
  COMMAND ${CMAKE_COMMAND} -E touch ${TAMGA_MAN_DIR}/stamp
  DEPENDS tamga_cli ${CMAKE_SOURCE_DIR}/packaging/man/gen-man.py
  COMMENT "Generating man pages from tamga help"
  VERBATIM)
add_custom_target(tamga_man ALL DEPENDS ${TAMGA_MAN_DIR}/stamp)
install(DIRECTORY ${TAMGA_MAN_DIR}/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
        COMPONENT cli FILES_MATCHING PATTERN "*.1.gz")

# The desktop app's page is written by hand (its --help has only GTK's options).
if(TARGET tamga_recorder)
  add_custom_command(
    OUTPUT ${CMAKE_BINARY_DIR}/man-app/tamga-recorder.1.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man-app
    COMMAND sh -c "gzip -9nc '${CMAKE_SOURCE_DIR}/packaging/man/tamga-recorder.1' > '${CMAKE_BINARY_DIR}/man-app/tamga-recorder.1.gz'"
    DEPENDS ${CMAKE_SOURCE_DIR}/packaging/man/tamga-recorder.1
    VERBATIM)
  add_custom_target(tamga_man_app ALL DEPENDS ${CMAKE_BINARY_DIR}/man-app/tamga-recorder.1.gz)
  install(FILES ${CMAKE_BINARY_DIR}/man-app/tamga-recorder.1.gz
          DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT recorder)
endif()
