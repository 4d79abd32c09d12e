import pandas as pd
import pytest

from social_roi.attribution.paths import (
    PathTableError,
    aggregate_paths,
    frequency_counts,
    make_path_table,
    parse_path,
    prepare_paths,
    read_path_table,
    transform_path,
    transform_paths,
    truncate_path,
)


def write(tmp_path, text, name="paths.csv"):
    file = tmp_path / name
    file.write_text(text)
    return file


def test_parse_trims_spaces():
    assert parse_path(" A >B >  C ") == ("A", "B", "C")


def test_read_defaults_null_zero_and_value_nan(tmp_path):
    table = read_path_table(write(tmp_path, "path,total_conversions\nA>B,2\nB,1\n"))
    assert table["path"].tolist() == [("A", "B"), ("B",)]
    assert table["total_conversions"].tolist() == [2.0, 1.0]
    assert table["total_null"].tolist() == [0.0, 0.0]
    assert table["total_conversion_value"].isna().all()


def test_read_custom_delimiter(tmp_path):
    file = write(tmp_path, "path;total_conversions;total_conversion_value;total_null\nA > B;1;9.5;3\n")
    table = read_path_table(file, sep=";")
    assert table.iloc[0].to_dict() == {
        "path": ("A", "B"),
        "total_conversions": 1.0,
        "total_null": 3.0,
        "total_conversion_value": 9.5,
    }


@pytest.mark.parametrize(
    "body, expected",
    [
        ("path,total_null\nA,1\n", "missing column 'total_conversions'"),
        ("path,total_conversions\nA,1\nB,x\n", "row 2, column 'total_conversions': value 'x': expected a non-negative"),
        ("path,total_conversions\nA,-1\n", "row 1, column 'total_conversions': value '-1'"),
        ("path,total_conversions,total_null\nA,1,-2\n", "row 1, column 'total_null': value '-2'"),
        ("path,total_conversions,total_conversion_value\nA,1,abc\n", "column 'total_conversion_value': value 'abc'"),
        ("path,total_conversions\nA,1\nA>>B,1\n", "row 2, column 'path': value 'A>>B'"),
        ("path,total_conversions\n,1\n", "row 1, column 'path'"),
    ],
)
def test_bad_input_errors_name_file_row_column_value(tmp_path, body, expected):
    file = write(tmp_path, body)
    with pytest.raises(PathTableError) as err:
        read_path_table(file)
    assert str(file) in str(err.value)
    assert expected in str(err.value)


def test_missing_and_empty_file(tmp_path):
    with pytest.raises(PathTableError, match="file not found"):
        read_path_table(tmp_path / "nope.csv")
    with pytest.raises(PathTableError, match="file is empty"):
        read_path_table(write(tmp_path, ""))


def test_transforms():
    path = ("A", "B", "A", "A", "C", "B")
    assert transform_path(path, "unique") == ("A", "B", "C")
    assert transform_path(path, "first") == ("A", "B", "C")
    assert transform_path(path, "exposure") == ("A", "B", "A", "C", "B")
    assert transform_path(path, "frequency") == ("A", "B", "A", "C", "B")
    assert frequency_counts(path) == (1, 1, 2, 1, 1)
    assert transform_path(("A", "direct", "B"), "remove_if_not_all", ["direct"]) == ("A", "B")
    assert transform_path(("direct", "direct"), "remove_if_not_all", ["direct"]) == ("direct", "direct")
    with pytest.raises(ValueError, match="unknown path transform"):
        transform_path(path, "bogus")


def test_truncate_keeps_last_steps():
    assert truncate_path(("A", "B", "C", "D"), 2) == ("C", "D")
    assert truncate_path(("A",), 3) == ("A",)


def test_transform_paths_frequency_adds_counts():
    table = make_path_table(pd.DataFrame({"path": ["A>A>B"], "total_conversions": [1]}))
    out = transform_paths(table, "frequency")
    assert out["path"].tolist() == [("A", "B")] and out["path_counts"].tolist() == [(2, 1)]


def test_aggregate_merges_identical_paths_and_drops_empty_rows():
    table = make_path_table(
        pd.DataFrame(
            {
                "path": ["A>B", "A > B", "B", "C"],
                "total_conversions": [1, 2, 0, 1],
                "total_null": [1, 0, 0, 4],
                "total_conversion_value": [10, 5, 0, 3],
            }
        )
    )
    out = aggregate_paths(table)
    # A>B: 1+2 conversions, 1+0 nulls, 10+5 value; B has no journeys and is dropped
    assert out["path"].tolist() == [("A", "B"), ("C",)]
    assert out["total_conversions"].tolist() == [3.0, 1.0]
    assert out["total_null"].tolist() == [1.0, 4.0]
    assert out["total_conversion_value"].tolist() == [15.0, 3.0]


def test_prepare_transforms_then_truncates_then_aggregates():
    table = make_path_table(pd.DataFrame({"path": ["A>B>A>C", "B>C"], "total_conversions": [1, 2]}))
    # unique: A>B>C and B>C; last 2 steps: B>C and B>C -> one row with 3 conversions
    out = prepare_paths(table, transform="unique", max_length=2)
    assert out["path"].tolist() == [("B", "C")] and out["total_conversions"].tolist() == [3.0]
