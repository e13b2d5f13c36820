//===- Program.cpp - A compiled program, whatever the backend -------------===//
#include "kiln/codegen/Program.h"

namespace kiln::codegen {

Program::~Program() = default;

} // namespace kiln::codegen
