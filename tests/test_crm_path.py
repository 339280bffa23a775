from conftest import load_tool

crm_path = load_tool("crm_path")


def test_child_path():
    assert crm_path.child_path("/1/5/", 9) == "/1/5/9/"
    assert crm_path.child_path(False, 3) == "/3/"
    assert crm_path.child_path("", 3) == "/3/"


def test_path_ids():
    assert crm_path.path_ids("/1/5/9/") == [1, 5, 9]
    assert crm_path.path_ids(False) == []


def test_pattern_of_company_with_parent_includes_itself():
    assert crm_path.visible_subtree_pattern("/1/5/", True) == "/1/5/%"


def test_pattern_of_root_company_excludes_itself():
    # '_' needs one more character: the root's own path does not match
    assert crm_path.visible_subtree_pattern("/1/", False) == "/1/_%"


def test_no_company_matches_nothing():
    pattern = crm_path.visible_subtree_pattern(False, False)
    assert pattern == crm_path.NO_MATCH_PREFIX
    assert not "/1/".startswith(pattern)


def test_prefix_does_not_leak_to_sibling_ids():
    # /1/5/ must not match /1/50/: the trailing slash closes each id
    pattern = crm_path.visible_subtree_pattern("/1/5/", True)
    assert not "/1/50/".startswith(pattern.rstrip("%"))
