"""Validates DOCX and XLSX files against the OOXML schema and Word's and
Excel's compatibility rules (openxml-audit, which applies them the way the
Open XML SDK does). Any violation fails. Usage: validate.py FILE...

Prints each file's verdict and closes with 'N passed, N failed'."""
import json
import subprocess
import sys


def audit(path):
    out = subprocess.run(
        [sys.executable, "-m", "openxml_audit", "-o", "json", "-m", "0", path],
        capture_output=True, text=True, timeout=600,
    )
    try:
        return json.loads(out.stdout)[0]
    except (ValueError, IndexError):
        return {"valid": False, "error_count": -1, "errors": [{"description": out.stderr.strip() or out.stdout.strip()}]}


def main(paths):
    if not paths:
        print("validate.py: no files given", file=sys.stderr)
        return 2
    passed = failed = 0
    for path in paths:
        result = audit(path)
        errors = result.get("errors", [])
        verdict = result.get("verdict", {}).get("prediction", "?")
        if result.get("valid") and not errors and verdict == "opens-clean":
            passed += 1
            print(f"ok   {path}")
            continue
        failed += 1
        print(f"FAIL {path}: {verdict}, {len(errors)} violations")
        for e in errors[:20]:
            print(f"     {e.get('part_uri', '')} {e.get('path', '')}: {e.get('description', '')}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
