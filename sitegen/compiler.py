"""Jinja2, compiled quicker: the template compiler behind every page sitegen renders.

What it changes, and why. Rendering a case page with stock Jinja2 spends most of its time in
code Jinja2 generates for three things a page does hundreds of times: ``a.b`` (Jinja2 tries an
item lookup through Python code first), ``{{ value }}`` (escaped through Python code even for
plain text) and output (every piece of text yielded alone through three nested generators). This
module subclasses Jinja2's code generator, template and context to emit quicker code for those
(a third less time a page: docs/performance.md); everything else is Jinja2's own. The bytes are
the same: the golden test builds with both environments and compares.

It relies on Jinja2's private internals (``jinja2.compiler.CodeGenerator``'s methods,
``Template._from_namespace``, ``jinja2.utils._PassArg``) and on MarkupSafe's C escape function,
which a release may change without notice. So ``sitegen.theme.environment_class`` imports this
module only for the Jinja2 series it was tested with (``sitegen.theme.TESTED_JINJA2``); with any
other (or with ``SITEGEN_JINJA=stock`` in the environment) the theme uses stock
``jinja2.Environment`` and ``jinja2.ext.i18n``'s gettext — slower, same output — and says why
once, on the ``sitegen`` logger. :func:`direct_gettext` belongs here too: the same translations
as ``jinja2.ext.i18n``, in one call instead of three.
"""

from __future__ import annotations

from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any

from jinja2 import Environment, Template, pass_eval_context
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.nodes import EvalContext, Expr, Getattr, Impossible, Output, TemplateData
from jinja2.runtime import Context
from jinja2.utils import _PassArg
from markupsafe import Markup, escape

try:  # the C function behind markupsafe.escape
    from markupsafe import _escape_inner  # type: ignore[attr-defined]
except ImportError:  # another MarkupSafe: its own escape() is used
    _escape_inner = None  # type: ignore[assignment]
_new_str = str.__new__


def quick_escape(value: Any) -> Markup:
    """``markupsafe.escape`` (same result), quicker for what pages print most: text, markup and
    whole numbers (about 90 a case page). ``escape`` checks for ``__html__`` and builds its
    Markup through Python code each time."""
    if _escape_inner is None:
        return escape(value)
    kind = type(value)
    if kind is str:
        return _new_str(Markup, _escape_inner(value))
    if kind is Markup:
        return value  # type: ignore[no-any-return]
    if kind is int:
        return _new_str(Markup, str(value))
    return escape(value)


class _Template(Template):
    """Jinja2's template whose compiled code escapes with :func:`_quick_escape`."""

    @classmethod
    def _from_namespace(cls, environment: Environment, namespace: Any, globals: Any) -> Any:
        if _escape_inner is not None:
            namespace["escape"] = quick_escape  # the name the compiled functions look up
            namespace["escape_text"] = _escape_inner
        else:  # pragma: no cover - another MarkupSafe
            namespace["escape_text"] = escape
        # A plain dict instead of Jinja2's ChainMap(template globals, environment globals): each
        # render copies the globals, and copying a ChainMap goes through Python code per key.
        # The environment's globals are all set before its first template loads.
        return super()._from_namespace(environment, namespace, dict(globals))


class _CodeGenerator(CodeGenerator):
    """Jinja2's compiler, with quicker code for what a page does most.

    - ``a.b``: one ``getattr(a, 'b', missing)`` (a C call) when ``a`` has the attribute, and
      Jinja2's own ``environment.getattr`` (item lookup, then undefined) only when it has not.
    - ``{{ value }}``: text is escaped by MarkupSafe's C function directly; anything else
      (markup, numbers, objects with ``__html__``) goes through ``escape`` as before.
    - text and values between two tags leave in one ``yield`` (``visit_Output``).

    The output is Jinja2's: the golden-output test's pages are the same bytes, and
    ``tests/sitegen/test_fast_paths.py`` compares edge cases with stock Jinja2. The temporaries
    ``_o``, ``_v`` and ``_e`` are names Jinja2 never gives template variables (``l_…``, ``t_…``).
    """

    @optimizeconst
    def visit_Getattr(self, node: Getattr, frame: Frame) -> None:
        if self.environment.is_async:
            super().visit_Getattr(node, frame)
            return
        self.write("(_v if (_v := getattr((_o := ")
        self.visit(node.node, frame)
        name = repr(node.attr)
        self.write(f"), {name}, missing)) is not missing else environment.getattr(_o, {name}))")

    @staticmethod
    def _escapes_directly(frame: Frame, finalize: Any) -> bool:
        """Whether a value is surely escaped (and not finalized) here: then text takes the C
        escape directly; otherwise Jinja2's own code decides at run time."""
        return not frame.eval_ctx.volatile and frame.eval_ctx.autoescape and finalize.src is None

    def _output_child_pre(self, node: Expr, frame: Frame, finalize: Any) -> None:
        if self._escapes_directly(frame, finalize):
            self.write("(escape_text(_e) if (_e := ")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: Expr, frame: Frame, finalize: Any) -> None:
        if self._escapes_directly(frame, finalize):
            self.write(").__class__ is str else escape(_e))")
        else:
            super()._output_child_post(node, frame, finalize)

    def visit_Output(self, node: Output, frame: Frame) -> None:
        """Text and values between two tags as one ``yield`` of their joined parts.

        Jinja2 yields each part alone, and a page's parts pass through three generators (the
        page, the base template, the block): a case page made ~500 generator steps for ~200
        parts. Macros and ``{% set %}`` blocks (which fill a list) are compiled as before."""
        if frame.buffer is not None or frame.require_output_check or self.environment.is_async:
            super().visit_Output(node, frame)
            return
        finalize = self._make_finalize()
        body: list[list[Any] | Expr] = []
        for child in node.nodes:  # constants joined at compile time, as Jinja2 does
            try:
                if not (finalize.const or isinstance(child, TemplateData)):
                    raise Impossible
                const = self._output_child_to_const(child, frame, finalize)
            except Exception:  # noqa: BLE001 - as Jinja2: evaluated (and raised) at run time
                body.append(child)
                continue
            if body and isinstance(body[-1], list):
                body[-1].append(const)
            else:
                body.append([const])
        if len(body) < 2:
            super().visit_Output(node, frame)
            return
        self.writeline("yield ''.join((")
        self.indent()
        for item in body:
            if isinstance(item, list):
                self.writeline(self._output_const_repr(item) + ",")
            else:
                self.newline(item)
                self._output_child_pre(item, frame, finalize)
                self.visit(item, frame)
                self._output_child_post(item, frame, finalize)
                self.write(",")
        self.outdent()
        self.writeline("))")


_PLAIN_CALLABLES = (FunctionType, MethodType, BuiltinFunctionType)


class _Context(Context):
    """Jinja2's context with a quicker ``call`` for plain functions (and for those that take the
    evaluation context, like gettext); anything else goes through Jinja2's own."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if type(__obj) not in _PLAIN_CALLABLES:
            return super().call(__obj, *args, **kwargs)
        passes = getattr(__obj, "jinja_pass_arg", None)
        if passes is _PassArg.eval_context:  # gettext and friends
            args = (__self.eval_ctx, *args)
        elif passes is not None:
            return super().call(__obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


class FastEnvironment(Environment):
    """Jinja2's environment with the compiler, template and context above."""

    template_class = _Template
    code_generator_class = _CodeGenerator
    context_class = _Context


_NUMBERS = (int, float)


def direct_gettext(translations: Any) -> dict[str, Any]:
    """``_``, ``gettext``, ``ngettext`` and ``pgettext`` as ``jinja2.ext.i18n`` makes them with
    ``newstyle=True`` (translation trusted as markup where autoescaping, then ``%`` with the
    variables, escaped), in one call each instead of three: a case page makes a dozen."""
    find, find_plural, find_in_context = (
        translations.gettext,
        translations.ngettext,
        translations.pgettext,
    )

    def finish(eval_ctx: EvalContext, text: str, variables: dict[str, Any]) -> str:
        if not eval_ctx.autoescape:
            return text % variables
        # What ``Markup(text) % variables`` makes (numbers stay numbers for ``%d``), a third
        # quicker: each value escaped once, then plain ``%``.
        escaped = {
            key: value if isinstance(value, _NUMBERS) else quick_escape(value)
            for key, value in variables.items()
        }
        return _new_str(Markup, text % escaped)  # the translation is trusted, values escaped

    @pass_eval_context
    def gettext(eval_ctx: EvalContext, string: str, /, **variables: Any) -> str:
        return finish(eval_ctx, find(string), variables)

    @pass_eval_context
    def ngettext(
        eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any
    ) -> str:
        variables.setdefault("num", num)
        return finish(eval_ctx, find_plural(singular, plural, num), variables)

    @pass_eval_context
    def pgettext(eval_ctx: EvalContext, context: str, string: str, /, **variables: Any) -> str:
        variables.setdefault("context", context)
        return finish(eval_ctx, find_in_context(context, string), variables)

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext, "pgettext": pgettext}
