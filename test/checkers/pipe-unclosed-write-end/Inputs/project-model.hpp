// Declarations of the helpers in Inputs/project-model-helpers.cpp.
#ifndef PROJECT_MODEL_HPP
#define PROJECT_MODEL_HPP
void fatal(const char *msg);
void warn(const char *msg);
#endif
