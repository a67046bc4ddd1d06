"""Extraction speed on a generated corpus of at least 50 MB, against the floor measured in the same run.

The floor is what no extractor can avoid: reading the files, decoding them and
converting traditional to simplified script. Targets (issue 3): at least 5 MB/s end to
end on one core, and within 3x of the floor.

    python benchmarks/extract_speed.py [--mb 50] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

from cppcc_study.corpus import iter_corpus
from cppcc_study.extract import extract_corpus
from cppcc_study.normalize import to_simplified

COMMITTEES = ["广州市", "深圳市", "四川省", "江门市", "随州市", "青岛市", "沧州市", "东城区", "广水市", "平阴县", "浙江省", "河北省"]
# Sentences that state figures; about one sentence in thirty does (the seed reports: 25 facts in 72 KB).
FIGURES = [
    "{y}年,{c}政协共收到提案{n1}件,经审查立案{n2}件,立案率{r}%。",
    "截至目前,{n2}件提案已全部办复,所提意见建议被采纳或部分采纳的{n3}件,占{r2}%。",
    "一年来,{c}政协收集社情民意信息{n4}余条,编辑报送{n5}篇,其中{n6}篇被全国政协采用。",
    "過去一年,{c}政協圍繞中心工作積極履職,共徵集提案{n1}件,經審查立案{n2}件,所有提案全部辦復。",
    "新一届{n7}名委员认真履职尽责,交{n8}家承办单位办理的提案均已办结,重点提案{n8}件。",
    "市政协组织委员深入基层调研,形成调研报告{n6}篇,获得领导批示{n6}次。",
]
SUBJECTS = ["市政协", "各专门委员会", "广大政协委员", "机关各部门", "委员工作站", "各民主党派", "界别小组", "常委会"]
VERBS = ["围绕", "聚焦", "紧扣", "深入推进", "持续加强", "认真落实", "积极探索", "扎实开展"]
TOPICS = ["高质量发展", "乡村振兴", "生态环境保护", "营商环境优化", "基层协商民主", "民生实事", "科技创新",
          "城市更新", "教育医疗", "文化传承", "养老服务", "应急管理"]
TAILS = ["建言资政和凝聚共识双向发力", "推动各项工作取得新成效", "为现代化建设贡献智慧和力量",
         "不断提升履职能力和水平", "广泛凝聚社会各界共识", "助推党政决策部署落地见效"]
NOISE = ["首页 > 新闻中心 > 政协要闻", "分享到: 微信 微博 QQ空间", "责任编辑:某某 版权所有 联系我们"]


_FULL_WIDTH = str.maketrans({",": "，", ":": "：", "?": "？"})


def _prose(rng: random.Random) -> str:
    return (f"{rng.choice(SUBJECTS)}{rng.choice(VERBS)}{rng.choice(TOPICS)}和{rng.choice(TOPICS)},"
            f"{rng.choice(VERBS)}{rng.choice(TOPICS)}工作,{rng.choice(TAILS)}。")


def make_corpus(folder: Path, megabytes: float, seed: int = 7) -> int:
    """Write generated report-like documents (prose, figures, page furniture) until ``megabytes``."""
    rng = random.Random(seed)
    total, n = 0, 0
    target = int(megabytes * 1024 * 1024)
    while total < target:
        c = rng.choice(COMMITTEES)
        lines = [rng.choice(NOISE), f"发布时间:{rng.randint(2010, 2025)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"]
        for _ in range(rng.randint(40, 90)):
            sentences = []
            for _ in range(rng.randint(2, 5)):
                if rng.random() < 1 / 30:
                    n1 = rng.randint(100, 3000)
                    sentences.append(rng.choice(FIGURES).format(
                        y=rng.randint(2010, 2025), c=c, n1=n1, n2=n1 - rng.randint(0, 90), n3=rng.randint(50, 90),
                        r=round(rng.uniform(70, 99), 1), r2=round(rng.uniform(60, 95), 1),
                        n4=rng.randint(100, 3000), n5=rng.randint(20, 500), n6=rng.randint(1, 60),
                        n7=rng.randint(100, 900), n8=rng.randint(10, 200)))
                else:
                    sentences.append(_prose(rng))
            lines.append("".join(sentences))
        lines.append(rng.choice(NOISE))
        # real pages punctuate with full-width forms, which normalisation folds
        data = "\n".join(lines).translate(_FULL_WIDTH).encode("utf-8")
        (folder / f"doc{n:05d}.txt").write_bytes(data)
        total += len(data)
        n += 1
    return total


def floor_seconds(folder: Path) -> tuple[float, float]:
    """(wall, CPU) seconds to read, decode and convert every document."""
    t, c = time.perf_counter(), time.process_time()
    for doc in iter_corpus(folder):
        to_simplified(doc.text)
    return time.perf_counter() - t, time.process_time() - c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=50.0)
    ap.add_argument("--keep", type=Path, help="keep the generated corpus here")
    args = ap.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="cppcc-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        size = make_corpus(folder, args.mb)
        mb = size / 2**20
        warm = folder / "warm-up"  # imports and one-time tables are not throughput
        warm.mkdir()
        make_corpus(warm, 0.05, seed=8)
        floor_seconds(warm)
        extract_corpus(warm, use_curation=False)
        shutil.rmtree(warm)
        floor, floor_cpu = floor_seconds(folder)
        t, c = time.perf_counter(), time.process_time()
        result = extract_corpus(folder, use_curation=False)
        full, full_cpu = time.perf_counter() - t, time.process_time() - c
        print(f"corpus: {mb:.1f} MB in {len(list(folder.glob('*.txt')))} documents, {len(result.facts)} facts")
        print("                              wall            CPU (one core; steadier on a busy machine)")
        print(f"floor (read + decode + t2s): {floor:5.1f} s {mb / floor:6.1f} MB/s   {floor_cpu:5.1f} s {mb / floor_cpu:6.1f} MB/s")
        print(f"extract end to end:          {full:5.1f} s {mb / full:6.1f} MB/s   {full_cpu:5.1f} s {mb / full_cpu:6.1f} MB/s")
        print(f"ratio to floor (CPU): {full_cpu / floor_cpu:.1f}x   (targets: >= 5 MB/s, <= 3x the floor)")
        cores = os.cpu_count() or 1
        if cores > 1:
            t = time.perf_counter()
            parallel = extract_corpus(folder, use_curation=False, jobs=cores)
            wall = time.perf_counter() - t
            assert parallel.facts.equals(result.facts)
            print(f"extract -j {cores} (wall, same facts): {wall:5.1f} s {mb / wall:6.1f} MB/s")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
