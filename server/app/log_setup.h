// airproxd's logging: one named spdlog logger per component (log_options.h: kLogComponents;
// "airproxd" is also the default logger, so plain spdlog::info() lands there), each at its own
// level, all writing through one shared fan-out sink to the console (stderr) and, when log.file is
// set, to a file rotated by size.
//
// Reopening (SIGHUP, after logrotate moved the file): spdlog's file sinks cannot reopen their file,
// and a logger's sink list must not change while other threads log through it. So no logger's
// sink list ever changes: every component logger holds the same fan-out sink
// (spdlog::sinks::dist_sink_mt), and ReopenLogFiles swaps a fresh file sink into it under the
// fan-out's own mutex, the one every write takes. A line being written when the swap happens
// completes in the old file; every later line, from any logger and any thread, goes to the new one.
#pragma once

#include <memory>
#include <string>

#include <spdlog/formatter.h>
#include <spdlog/logger.h>

#include "server/app/log_options.h"
#include "server/core/status.h"

namespace airprox {

// Creates (or updates) every component logger from `options` and makes "airproxd" the default
// logger. Opens log.file (appending); an error says which file could not be opened and changes
// nothing. Lines are flushed as they are written. May be called again (tests, reconfiguration).
Status SetUpLogging(const LogOptions& options);

// Opens log.file afresh (creating it when it was moved or removed) and sends every later line
// there; the old file is closed. Does nothing without log.file. Thread-safe; for SIGHUP.
Status ReopenLogFiles();

// The logger of a component: the one SetUpLogging made, or, before it, one writing to the console
// (created and registered on first use).
std::shared_ptr<spdlog::logger> ComponentLogger(const std::string& name);

// The formatter of a line for options.format (text: "2026-11-29T04:04:27.145 info [encounter] ...",
// local time; json: json_log_formatter.h).
std::unique_ptr<spdlog::formatter> MakeLogFormatter(const LogOptions& options);

}  // namespace airprox
