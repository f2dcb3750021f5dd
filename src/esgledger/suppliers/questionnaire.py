"""Self-assessment questionnaires (SAQ): their definition and how answers are scored.

A questionnaire is configuration (a TOML file, docs/suppliers.md shows one): sections of
questions, each with an answer type, a scoring weight and whether a positive answer needs
evidence. Answer types: ``yes_no`` (yes earns the full weight), ``choice`` (each option
earns a share of the weight from 0 to 1) and ``text`` (not scored, weight 0). The score is
the earned weight over the total weight, from 0 to 100; every scored question must be
answered, so a score is never computed from part of the questionnaire.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from esgledger.errors import InvalidInput
from esgledger.suppliers.toml_files import load_toml

TYPES = ("yes_no", "choice", "text")
YES_NO = (("yes", 1.0), ("no", 0.0))
MAX_QUESTIONS = 500
MAX_TEXT = 4000  # characters of a text answer


@dataclass(frozen=True)
class Question:
    code: str
    section: str
    text: str
    type: str
    weight: float
    options: tuple[tuple[str, float], ...]  # (answer, share of the weight it earns), in order
    evidence: bool  # an answer earning credit needs an evidence file

    @property
    def answers(self) -> tuple[str, ...]:
        return tuple(answer for answer, _ in self.options)

    def credit(self, answer: str) -> float:
        return dict(self.options).get(answer, 0.0)


@dataclass(frozen=True)
class Definition:
    name: str
    sections: tuple[tuple[str, str], ...]  # (code, title)
    questions: tuple[Question, ...]

    @property
    def canonical(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.canonical.encode()).hexdigest()

    def question(self, code: str) -> Question | None:
        return next((q for q in self.questions if q.code == code), None)


@dataclass(frozen=True)
class Scored:
    score: float  # 0-100
    answers: dict[str, str]


def load_definition(path: str | Path) -> Definition:
    """The questionnaire of a TOML file, or one line saying what is wrong with it."""
    return load_toml(path, "questionnaire", parse_definition)


def definition_from_json(text: str) -> Definition:
    """A stored definition (its canonical JSON) back as a :class:`Definition`."""
    data = json.loads(text)
    return Definition(
        name=data["name"],
        sections=tuple((c, t) for c, t in data["sections"]),
        questions=tuple(
            Question(**(q | {"options": tuple((a, c) for a, c in q["options"])}))
            for q in data["questions"]
        ),
    )


def parse_definition(data: dict[str, Any]) -> Definition:
    name = str(data["name"]).strip()
    if not name or len(name) > 100:
        raise ValueError("name must be 1 to 100 characters")
    sections, questions = [], []
    for s in data["sections"]:
        code, title = str(s["code"]).strip(), str(s["title"]).strip()
        sections.append((code, title))
        questions += [_question(code, q) for q in s["questions"]]
    codes = [q.code for q in questions]
    duplicated = sorted({c for c in codes if codes.count(c) > 1})
    if duplicated:
        raise ValueError(f"question {duplicated[0]!r} appears more than once")
    if not 0 < len(questions) <= MAX_QUESTIONS:
        raise ValueError(f"a questionnaire has 1 to {MAX_QUESTIONS} questions")
    if not any(q.weight > 0 for q in questions):
        raise ValueError("no question carries a weight, so nothing would be scored")
    return Definition(name, tuple(sections), tuple(questions))


def _question(section: str, item: dict[str, Any]) -> Question:
    code = str(item["code"]).strip()
    if not code or len(code) > 64:
        raise ValueError(f"section {section!r}: a question code must be 1 to 64 characters")
    kind = str(item.get("type", "yes_no"))
    if kind not in TYPES:
        raise ValueError(f"question {code!r}: type {kind!r} is not one of {', '.join(TYPES)}")
    weight = float(item.get("weight", 0 if kind == "text" else 1))
    if not 0 <= weight <= 100 or (kind == "text" and weight):
        raise ValueError(f"question {code!r}: weight must be 0-100 (0 for a text question)")
    options = _options(code, kind, item.get("options"))
    evidence = bool(item.get("evidence", False))
    return Question(code, section, str(item["text"]).strip(), kind, weight, options, evidence)


def _options(code: str, kind: str, given: Any) -> tuple[tuple[str, float], ...]:
    if kind == "yes_no":
        return YES_NO
    if kind == "text":
        return ()
    if not isinstance(given, dict) or not given:
        raise ValueError(f"question {code!r}: a choice question needs options = {{answer = 0..1}}")
    options = tuple((str(k).strip(), float(v)) for k, v in given.items())
    bad = [k for k, v in options if not 0 <= v <= 1]
    if bad:
        raise ValueError(f"question {code!r}: option {bad[0]!r} must earn 0 to 1")
    return options


def score(definition: Definition, given: dict[str, str], evidence: set[str]) -> Scored:
    """Answers checked against the questionnaire and scored; InvalidInput names every
    question unanswered or answered with an unknown option, or lacking its evidence."""
    answers = {k.strip(): v.strip() for k, v in given.items()}
    problems = [f"unknown question {k!r}" for k in answers if definition.question(k) is None]
    earned = total = 0.0
    for q in definition.questions:
        answer = answers.get(q.code, "")
        if q.type == "text":
            if len(answer) > MAX_TEXT:
                problems.append(f"question {q.code}: longer than {MAX_TEXT} characters")
            continue
        if answer not in q.answers:
            choices = ", ".join(q.answers)
            problems.append(f"question {q.code}: answer one of {choices}, not {answer!r}")
            continue
        credit = q.credit(answer)
        if q.evidence and credit > 0 and q.code not in evidence:
            problems.append(f"question {q.code}: the answer {answer!r} needs an evidence file")
        earned += q.weight * credit
        total += q.weight
    if problems:
        raise InvalidInput("; ".join(problems))
    return Scored(100.0 * earned / total, answers)
