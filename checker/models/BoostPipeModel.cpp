//===--- BoostPipeModel.cpp - Boost.Asio and Boost.Process pipe objects --===//

#include "models/BoostPipeModel.h"
#include "Compat.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "llvm/ADT/StringSwitch.h"

namespace clang::tidy::pipe {

namespace {

enum class BoostType { None, AsioReadable, AsioWritable, ProcessPipe, Stream };

BoostType boostTypeOfType(QualType T);

/// The type of the object \p E names, seen through the derived-to-base
/// conversion to std::istream& or std::ostream& that stream functions take.
BoostType boostTypeOf(const Expr *E) {
  return E ? boostTypeOfType(E->IgnoreParenBaseCasts()->getType())
           : BoostType::None;
}

/// The outermost namespace \p D is declared in ("boost", "std"), or "".
llvm::StringRef outermostNamespace(const Decl *D) {
  llvm::StringRef Name;
  for (const DeclContext *DC = D->getDeclContext(); DC; DC = DC->getParent())
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC))
      Name = NS->getIdentifier() ? NS->getName() : "";
  return Name;
}

BoostType boostTypeOfType(QualType T) {
  if (T.isNull())
    return BoostType::None;
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->getIdentifier())
    return BoostType::None;
  // Cheap tests first: this runs on the object of every member call.
  llvm::StringRef Name = RD->getName();
  BoostType K = llvm::StringSwitch<BoostType>(Name)
                    .Case("basic_readable_pipe", BoostType::AsioReadable)
                    .Case("basic_writable_pipe", BoostType::AsioWritable)
                    // One Case each: LLVM 22 deprecates the variadic Cases().
                    .Case("basic_pipe", BoostType::ProcessPipe)
                    .Case("async_pipe", BoostType::ProcessPipe)
                    .Case("basic_ipstream", BoostType::Stream)
                    .Case("basic_opstream", BoostType::Stream)
                    .Case("basic_pstream", BoostType::Stream)
                    .Default(BoostType::None);
  if (K == BoostType::None || outermostNamespace(RD) != "boost")
    return BoostType::None;
  std::string Qualified = RD->getQualifiedNameAsString();
  llvm::StringRef Q(Qualified);
  bool Asio = compat::startsWith(Q, "boost::asio::");
  bool Process = compat::startsWith(Q, "boost::process::");
  if ((K == BoostType::AsioReadable || K == BoostType::AsioWritable) ? !Asio
                                                                     : !Process)
    return BoostType::None;
  return K;
}

BoostPipeOp makeOp(BoostPipeOp::Kind K, const Expr *Object = nullptr) {
  BoostPipeOp Op;
  Op.K = K;
  Op.Object = Object;
  return Op;
}

const Expr *argAt(const CallExpr *CE, unsigned I) {
  return I < CE->getNumArgs() ? CE->getArg(I) : nullptr;
}

/// The byte count of `boost::asio::buffer(data, n)`, if \p E is one.
const Expr *asioBufferSize(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreImplicit();
  if (const auto *Temp = dyn_cast<CXXConstructExpr>(E))
    if (Temp->getNumArgs() == 1)
      E = Temp->getArg(0)->IgnoreImplicit();
  const auto *CE = dyn_cast<CallExpr>(E);
  if (!CE || CE->getNumArgs() != 2)
    return nullptr;
  const auto *FD = CE->getDirectCallee();
  if (!FD || FD->getQualifiedNameAsString() != "boost::asio::buffer")
    return nullptr;
  return CE->getArg(1);
}

/// The byte count of `boost::asio::buffer(array)` for an array of known
/// size.
std::optional<uint64_t> asioArrayBufferSize(const Expr *E) {
  if (!E)
    return std::nullopt;
  E = E->IgnoreImplicit();
  if (const auto *Temp = dyn_cast<CXXConstructExpr>(E))
    if (Temp->getNumArgs() == 1)
      E = Temp->getArg(0)->IgnoreImplicit();
  const auto *CE = dyn_cast<CallExpr>(E);
  if (!CE || CE->getNumArgs() != 1)
    return std::nullopt;
  const auto *FD = CE->getDirectCallee();
  if (!FD || FD->getQualifiedNameAsString() != "boost::asio::buffer")
    return std::nullopt;
  QualType T = CE->getArg(0)->IgnoreParenImpCasts()->getType();
  const auto *AT = dyn_cast<ConstantArrayType>(T.getCanonicalType().getTypePtr());
  if (!AT)
    return std::nullopt;
  const ASTContext &Ctx = FD->getASTContext();
  return uint64_t(Ctx.getTypeSizeInChars(T).getQuantity());
}

/// `s.pipe()` on a Boost.Process stream names the stream's own pipe: the
/// object whose ends it is.
const Expr *ownerObject(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(E))
    if (const auto *MD = MCE->getMethodDecl();
        MD && MD->getIdentifier() && MD->getName() == "pipe" &&
        boostTypeOf(MCE->getImplicitObjectArgument()) ==
            BoostType::Stream)
      return MCE->getImplicitObjectArgument()->IgnoreParenImpCasts();
  return E;
}

bool isDynamicBuffer(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->getIdentifier())
    return false;
  llvm::StringRef N = RD->getName();
  return compat::startsWith(N, "dynamic_") || N == "basic_streambuf" ||
         N == "basic_streambuf_ref";
}

} // namespace

bool isBoostPipeObjectType(QualType T) {
  return boostTypeOfType(T) != BoostType::None;
}

bool isTwoEndedBoostPipeType(QualType T) {
  BoostType K = boostTypeOfType(T);
  return K == BoostType::ProcessPipe || K == BoostType::Stream;
}

std::optional<BoostPipeOp> classifyBoostCall(const CallExpr *CE) {
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD)
    return std::nullopt;

  // Member functions of the pipe objects (and of the std streams a
  // Boost.Process stream derives from).
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE)) {
    const Expr *Obj = MCE->getImplicitObjectArgument();
    if (!Obj)
      return std::nullopt;
    BoostType T = boostTypeOf(Obj);
    if (T == BoostType::None)
      return std::nullopt;
    const Expr *Owner = ownerObject(Obj);
    llvm::StringRef M = FD->getIdentifier() ? FD->getName() : "";
    BoostPipeOp Op = makeOp(BoostPipeOp::Ignore, Owner);
    if (M == "read_some" || (M == "read" && T != BoostType::AsioReadable) ||
        M == "get" || M == "getline") {
      Op.K = BoostPipeOp::Read;
      Op.Side = PipeSide::Read;
    } else if (M == "write_some") {
      Op.K = BoostPipeOp::Write;
      Op.Side = PipeSide::Write;
      Op.Size = asioBufferSize(argAt(CE, 0));
      Op.ConstSize = asioArrayBufferSize(argAt(CE, 0));
    } else if (M == "write" || M == "put") {
      Op.K = BoostPipeOp::Write;
      Op.Side = PipeSide::Write;
      Op.Size = M == "write" ? argAt(CE, 1) : nullptr;
    } else if (M == "close") {
      // A Boost.Process stream's close() only flushes: its pipe stays
      // open (close it with s.pipe().close()).
      if (T == BoostType::Stream)
        return Op;
      Op.K = BoostPipeOp::Close;
      Op.Side = PipeSide::Both;
    } else if (M == "close_sink") {
      Op.K = BoostPipeOp::Close;
      Op.Side = PipeSide::Write;
    } else if (M == "close_source") {
      Op.K = BoostPipeOp::Close;
      Op.Side = PipeSide::Read;
    } else if (M == "flush" || M == "good" || M == "eof" || M == "fail" ||
               M == "bad" || M == "is_open" || M == "pipe" ||
               M == "native_source" || M == "native_sink" ||
               M == "native_handle" || M == "clear" || M == "gcount" ||
               M == "get_executor" || M == "rdbuf" ||
               isa<CXXConversionDecl>(FD)) {
      return Op; // no effect on the ends
    } else {
      return std::nullopt; // unknown: the engine hands the object off
    }
    return Op;
  }

  // Stream operators and std::getline on a Boost.Process stream.
  if (const auto *OCE = dyn_cast<CXXOperatorCallExpr>(CE)) {
    OverloadedOperatorKind K = OCE->getOperator();
    if ((K == OO_GreaterGreater || K == OO_LessLess) && OCE->getNumArgs() == 2 &&
        boostTypeOf(OCE->getArg(0)) == BoostType::Stream) {
      BoostPipeOp Op = makeOp(K == OO_GreaterGreater ? BoostPipeOp::Read
                                                     : BoostPipeOp::Write,
                              ownerObject(OCE->getArg(0)));
      Op.Side = K == OO_GreaterGreater ? PipeSide::Read : PipeSide::Write;
      return Op;
    }
  }
  // Only the free functions of namespaces boost and std matter here.
  llvm::StringRef Outer = outermostNamespace(FD);
  if (Outer != "boost" && Outer != "std")
    return std::nullopt;
  if (Outer == "std" &&
      !(FD->getIdentifier() && FD->getName() == "getline"))
    return std::nullopt;
  std::string Name = FD->getQualifiedNameAsString();
  if (compat::startsWith(Name, "std::") && FD->getName() == "getline")
    Name = "std::getline";
  if (Name == "std::getline" && CE->getNumArgs() >= 2 &&
      boostTypeOf(CE->getArg(0)) == BoostType::Stream)
    return makeOp(BoostPipeOp::Read, ownerObject(CE->getArg(0)));

  // Boost.Asio's free functions.
  if (Name == "boost::asio::connect_pipe" && CE->getNumArgs() >= 2) {
    BoostPipeOp Op = makeOp(BoostPipeOp::Create, CE->getArg(0));
    Op.WriteObject = CE->getArg(1);
    return Op;
  }
  if ((Name == "boost::asio::read" || Name == "boost::asio::read_until") &&
      CE->getNumArgs() >= 2 && boostTypeOf(CE->getArg(0)) != BoostType::None) {
    BoostPipeOp Op = makeOp(BoostPipeOp::Read, ownerObject(CE->getArg(0)));
    // read(s, dynamic_buffer(x)[, transfer_all()][, ec]) stops only at
    // end-of-file (or an error); another completion condition may stop
    // earlier.
    bool OnlyEof = Name == "boost::asio::read" &&
                   isDynamicBuffer(CE->getArg(1)->getType());
    for (unsigned I = 2; I < CE->getNumArgs() && OnlyEof; ++I) {
      if (isa<CXXDefaultArgExpr>(CE->getArg(I)))
        continue; // asio's `constraint_t<...> = 0` overload selectors
      std::string T = CE->getArg(I)->getType().getAsString();
      OnlyEof = T.find("transfer_all") != std::string::npos ||
                T.find("error_code") != std::string::npos;
    }
    Op.ToEof = OnlyEof;
    return Op;
  }
  if (Name == "boost::asio::write" && CE->getNumArgs() >= 2 &&
      boostTypeOf(CE->getArg(0)) != BoostType::None) {
    BoostPipeOp Op = makeOp(BoostPipeOp::Write, ownerObject(CE->getArg(0)));
    Op.Side = PipeSide::Write;
    Op.Size = asioBufferSize(CE->getArg(1));
    Op.ConstSize = asioArrayBufferSize(CE->getArg(1));
    return Op;
  }
  return std::nullopt;
}

bool isBoostStdioBinding(const CXXConstructExpr *CE) {
  const auto *RD = CE->getType()->getAsCXXRecordDecl();
  if (!RD || !RD->getIdentifier() || RD->getName() != "process_io_binding" ||
      outermostNamespace(RD) != "boost")
    return false;
  return compat::startsWith(RD->getQualifiedNameAsString(),
                            "boost::process::v2::");
}

std::optional<SharedStdioEnd> sharedByStdioBinding(const CXXConstructExpr *CE) {
  if (!isBoostStdioBinding(CE) || CE->getNumArgs() < 1)
    return std::nullopt;
  // The generic `Stream &&` constructor takes only native_handle(): a
  // writable_pipe for stdout/stderr, a readable_pipe for stdin.
  const Expr *Obj = CE->getArg(0)->IgnoreParenImpCasts();
  BoostType T = boostTypeOf(Obj);
  if (T == BoostType::AsioWritable)
    return SharedStdioEnd{Obj, PipeSide::Write};
  if (T == BoostType::AsioReadable) {
    // For stdin a readable pipe is dup2()ed; for stdout/stderr the
    // library makes a new pipe and assigns its read end to the object.
    const auto *TS = dyn_cast<ClassTemplateSpecializationDecl>(
        CE->getType()->getAsCXXRecordDecl());
    if (TS && TS->getTemplateArgs().size() >= 1 &&
        TS->getTemplateArgs()[0].getKind() == TemplateArgument::Integral &&
        TS->getTemplateArgs()[0].getAsIntegral() == 0)
      return SharedStdioEnd{Obj, PipeSide::Read};
  }
  return std::nullopt;
}

bool isBoostProcessChildType(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->getIdentifier() || RD->getName() != "child" ||
      outermostNamespace(RD) != "boost")
    return false;
  std::string Q = RD->getQualifiedNameAsString();
  return Q == "boost::process::child" || Q == "boost::process::v1::child";
}

std::optional<ProcessStdioRedirect> processStdioRedirect(const Expr *E) {
  const auto *OCE = dyn_cast_or_null<CXXOperatorCallExpr>(
      E ? E->IgnoreImplicit()->IgnoreParens() : nullptr);
  if (!OCE || OCE->getNumArgs() != 2 ||
      (OCE->getOperator() != OO_Greater && OCE->getOperator() != OO_Less))
    return std::nullopt;
  const auto *DRE =
      dyn_cast<DeclRefExpr>(OCE->getArg(0)->IgnoreParenImpCasts());
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD || !VD->getIdentifier() || outermostNamespace(VD) != "boost")
    return std::nullopt;
  int Target = VD->getName() == "std_in"    ? 0
               : VD->getName() == "std_out" ? 1
               : VD->getName() == "std_err" ? 2
                                            : -1;
  const Expr *Obj = OCE->getArg(1)->IgnoreParenImpCasts();
  if (Target < 0 || (Target == 0) != (OCE->getOperator() == OO_Less) ||
      !isTwoEndedBoostPipeType(Obj->getType()))
    return std::nullopt;
  return ProcessStdioRedirect{Obj, Target};
}

std::optional<BoostPipeOp>
classifyBoostConstruction(const CXXConstructExpr *CE) {
  const CXXConstructorDecl *Ctor = CE->getConstructor();
  if (!Ctor || Ctor->isCopyOrMoveConstructor())
    return std::nullopt;
  BoostType T = boostTypeOfType(CE->getType());
  // A pipe or stream made on its own (a stream from an existing pipe
  // shares that pipe's ends: not a new pipe).
  if (T == BoostType::Stream && CE->getNumArgs() == 0)
    return makeOp(BoostPipeOp::Create);
  if (T == BoostType::ProcessPipe &&
      (CE->getNumArgs() == 0 ||
       (CE->getNumArgs() == 1 && CE->getArg(0)->getType()->isRecordType() &&
        !isBoostPipeObjectType(CE->getArg(0)->getType()))))
    return makeOp(BoostPipeOp::Create);
  return std::nullopt;
}

} // namespace clang::tidy::pipe
