//===--- Callbacks.h - function-pointer parameters bound at one call ------===//
//
// A helper that runs code it is given: `job_start(&j, export_rows)` forks
// and calls `body(p[1])` in the child; `run_with(cb, fd)` calls `cb(fd)`;
// `start(&t, fn, arg)` passes `fn` to pthread_create(). Read alone, the
// helper calls an unknown function through its parameter. At a call whose
// argument for such a parameter is a function of the translation unit
// (`f`, `&f`, a captureless lambda; for a std::function parameter, the
// lambda it is made of), the helper's summary is computed for
// that call (FunctionSummaries::get() with the bindings): while it is,
// ApiModel::calleeOf() of a call through the parameter is that function,
// and so is the routine a thread start names through it. A pointer that is
// not a constant function (a variable, a table indexed at run time, a
// parameter of a caller that is not bound itself) binds nothing, and the
// call through it stays unknown. The checks analyse a helper whose every
// call binds a parameter alike with that binding too
// (CallerContext::callbacksAtEveryCall()).
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_CALLBACKS_H
#define PIPE_TIDY_CALLBACKS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

namespace clang {
class CallExpr;
class Expr;
class FunctionDecl;
class ParmVarDecl;
class QualType;
} // namespace clang

namespace clang::tidy::pipe {

/// A function-pointer parameter of a helper and the function a call gives
/// it.
struct CallbackBinding {
  const ParmVarDecl *Param = nullptr;
  const FunctionDecl *Fn = nullptr;
  bool operator==(const CallbackBinding &O) const {
    return Param == O.Param && Fn == O.Fn;
  }
};
using CallbackBindings = llvm::SmallVector<CallbackBinding, 1>;

/// While alive, calls through the parameters of \p B are calls of the
/// functions bound to them (nested scopes add to the outer ones).
class CallbackScope {
public:
  explicit CallbackScope(llvm::ArrayRef<CallbackBinding> B);
  ~CallbackScope();
  CallbackScope(const CallbackScope &) = delete;
  CallbackScope &operator=(const CallbackScope &) = delete;

private:
  size_t Added = 0;
};

/// The function bound to parameter \p P in the scopes alive, or null.
const FunctionDecl *boundCallback(const ParmVarDecl *P);

/// The function of the translation unit \p E names as a constant: `f`,
/// `&f`, `*f`, a captureless lambda converted to a function pointer (its
/// call operator), or a parameter bound in a scope alive; null otherwise.
const FunctionDecl *functionRef(const Expr *E);

/// The bindings a call of \p Callee makes: each function-pointer parameter
/// whose argument functionRef() resolves to a function with a body.
CallbackBindings callbacksOf(const CallExpr *CE, const FunctionDecl *Callee);

/// Is a parameter of type \p T one a call can bind: a function pointer or
/// reference, or a std::function (bound to the lambda it is made of)?
bool isCallbackParameter(QualType T);

/// The call operator of the lambda bound to the std::function parameter
/// that \p CE calls (`body(p[1])` of a `const std::function<void(int)>
/// &body`), in the scopes alive; null otherwise.
const FunctionDecl *boundStdFunctionCall(const CallExpr *CE);

/// All bindings alive (to record with what they explain).
llvm::ArrayRef<CallbackBinding> activeCallbacks();

} // namespace clang::tidy::pipe

#endif
