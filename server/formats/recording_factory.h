// Opens a recording of any format behind the common RecordingReader interface. It lives in
// airprox_recordings, beside the JSON-lines reader that needs the generated airprox.v1 types;
// every other reader is in airprox_formats, free of protobuf.
#pragma once

#include <memory>
#include <string>

#include "server/formats/recording_format.h"
#include "server/formats/recording_reader.h"

namespace airprox {

Status OpenRecording(const std::string& path, RecordingFormat format,
                     std::unique_ptr<RecordingReader>& out);
// The format detected by DetectFormat first.
Status OpenRecording(const std::string& path, std::unique_ptr<RecordingReader>& out);

}  // namespace airprox
