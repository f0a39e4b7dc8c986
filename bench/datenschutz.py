"""Genauigkeit der Datenschutzprüfung (R3) auf den beschrifteten Textschnipseln.

Aufruf:  python bench/datenschutz.py [--teil entwicklung|pruefung|alle] [--fehler] [--json PFAD]

Gezählt wird je Schnipsel (wie `ressourcenkarte datenschutz`: Befund ja/nein): Precision = richtig
gemeldete / alle gemeldeten, Recall = richtig gemeldete / alle mit Personenbezug. `pruefung` ist der
zurückgehaltene Teil, der beim Entwickeln nicht angesehen wurde.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse  # noqa: E402
import json  # noqa: E402

import yaml  # noqa: E402

from daten.gremium.datenschutz import pruefe_text  # noqa: E402

BEISPIELE = Path(__file__).with_name("datenschutz_beispiele.yaml")


def lade_beispiele(pfad: Path = BEISPIELE) -> list[dict]:
    return yaml.safe_load(pfad.read_text(encoding="utf-8"))["beispiele"]


def kennzahlen(beispiele: list[dict]) -> dict[str, float | int]:
    """Precision, Recall, F1 und die Zählungen (tp, fp, fn, tn) je Schnipsel."""
    tp = fp = fn = tn = 0
    for b in beispiele:
        gemeldet = bool(pruefe_text(b["text"]))
        if gemeldet and b["personenbezug"]:
            tp += 1
        elif gemeldet:
            fp += 1
        elif b["personenbezug"]:
            fn += 1
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"n": len(beispiele), "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Precision/Recall der Datenschutzprüfung auf beschrifteten Schnipseln.")
    p.add_argument("--teil", choices=["entwicklung", "pruefung", "alle"], default="alle")
    p.add_argument("--fehler", action="store_true", help="falsch eingeordnete Schnipsel mit Befunden zeigen")
    p.add_argument("--json", type=Path, help="Ergebnis zusätzlich als JSON schreiben")
    args = p.parse_args(argv)
    alle = lade_beispiele()
    teile = ["entwicklung", "pruefung"] if args.teil == "alle" else [args.teil]
    ergebnis = {}
    print(f"{'Teil':<12} {'n':>4} {'TP':>4} {'FP':>4} {'FN':>4} {'TN':>4} {'Precision':>10} {'Recall':>7} {'F1':>6}")
    for teil in [*teile, *(["alle"] if len(teile) > 1 else [])]:
        auswahl = [b for b in alle if teil == "alle" or b["teil"] == teil]
        k = kennzahlen(auswahl)
        ergebnis[teil] = k
        print(f"{teil:<12} {k['n']:>4} {k['tp']:>4} {k['fp']:>4} {k['fn']:>4} {k['tn']:>4} "
              f"{k['precision']:>10.3f} {k['recall']:>7.3f} {k['f1']:>6.3f}")
        if args.fehler and teil != "alle":
            for b in auswahl:
                befunde = pruefe_text(b["text"])
                if bool(befunde) != b["personenbezug"]:
                    art = "FN" if b["personenbezug"] else "FP"
                    print(f"  {art}: {b['text']}  →  {[(x.art, x.text) for x in befunde]}")
    if args.json:
        args.json.write_text(json.dumps(ergebnis, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
