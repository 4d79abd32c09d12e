import pandas as pd
import pytest

from social_roi.cli import main

CSV = "path;total_conversions;total_conversion_value;total_null\nA > B;3;30;1\nA;1;10;1\nB;1;10;1\n"


def test_attribute_paths_end_to_end(tmp_path):
    source, out = tmp_path / "paths.csv", tmp_path / "out.csv"
    source.write_text(CSV)
    assert main(["attribute-paths", str(source), "--sep", ";", "--out", str(out)]) == 0
    result = pd.read_csv(out)
    assert list(result.columns) == ["channel", "model", "conversions", "value"]
    assert set(result["model"]) == {"first", "last", "linear", "position_based", "markov", "shapley"}
    got = result.set_index(["model", "channel"])
    # first: A>B and A give A 3 + 1 = 4 (value 40); B alone gives B 1
    assert got.loc[("first", "A"), "conversions"] == 4.0 and got.loc[("first", "A"), "value"] == 40.0
    assert got.loc[("last", "B"), "conversions"] == 4.0
    # markov hand example (test_markov): shares 11/23 and 12/23 of 5 conversions and 50 value
    assert got.loc[("markov", "A"), "conversions"] == pytest.approx(55 / 23)
    assert got.loc[("markov", "B"), "value"] == pytest.approx(600 / 23)
    # shapley: v(A) = 1/2, v(B) = 1/2, v(AB) = 5/8 -> symmetric, 2.5 each
    assert got.loc[("shapley", "A"), "conversions"] == pytest.approx(2.5)
    assert result.groupby("model")["conversions"].sum().tolist() == pytest.approx([5.0] * 6)


def test_attribute_paths_to_stdout(tmp_path, capsys):
    source = tmp_path / "paths.csv"
    source.write_text("path,total_conversions\nA,2\n")
    assert main(["attribute-paths", str(source), "--models", "linear,last_non_direct"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["channel,model,conversions,value", "A,linear,2.0,", "A,last_non_direct,2.0,"]


@pytest.mark.parametrize(
    "body, expected",
    [
        ("path,total_conversions\nA,1\nB,-3\n", "row 2, column 'total_conversions': value '-3'"),
        ("path,conversions\nA,1\n", "missing column 'total_conversions'"),
        ("path,total_conversions\nA>,1\n", "row 1, column 'path': value 'A>'"),
    ],
)
def test_bad_input_exit_code_2_one_line(tmp_path, capsys, body, expected):
    source = tmp_path / "bad.csv"
    source.write_text(body)
    assert main(["attribute-paths", str(source)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and expected in err and str(source) in err


def test_missing_file_and_bad_model(tmp_path, capsys):
    assert main(["attribute-paths", str(tmp_path / "none.csv")]) == 2
    assert "file not found" in capsys.readouterr().err
    source = tmp_path / "ok.csv"
    source.write_text("path,total_conversions\nA,1\n")
    assert main(["attribute-paths", str(source), "--models", "markov,nope"]) == 2
