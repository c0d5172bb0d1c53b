"""Search finds the concept: in Chromium, Material's own search box on the built site, for the
name or the usual abbreviation of a concept, lists the concept's page in the top 3. The ranks
are printed (pytest -s), for closing notes."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from .conftest import Site, goto

pytestmark = pytest.mark.browser

# query -> the concept whose page it must find
QUERIES = {
    "SVD": "svd",
    "singular value decomposition": "svd",
    "PCA": "pca",
    "principal component analysis": "pca",
    "SGD": "sgd",
    "stochastic gradient descent": "sgd",
    "Adam": "adam",
    "KL divergence": "kl-divergence",
    "cross-entropy": "cross-entropy",
    "softmax": "softmax",
    "chain rule": "chain-rule",
    "Jacobian": "jacobian",
    "Hessian": "hessian-and-curvature",
    "backpropagation": "backpropagation",
    "eigenvalues": "eigendecomposition",
    "Bayes' rule": "conditional-probability-and-bayes",
    "log-sum-exp": "log-sum-exp",
    "learning rate": "step-size",
    "momentum": "momentum",
    "Lagrange multipliers": "lagrange-multipliers",
    "maximum likelihood": "maximum-likelihood",
    "condition number": "condition-number",
    "weight decay": "weight-decay",
    "Newton's method": "newtons-method",
    # abbreviations no title holds: the concepts' `also` names
    "MLE": "maximum-likelihood",
    "NLL": "negative-log-likelihood-loss",
    "CLT": "law-of-large-numbers-and-clt",
    "VJP": "vector-jacobian-product",
    "autodiff": "reverse-mode-autodiff",
    "backprop": "backpropagation",
}


def results(page: Page, query: str) -> list[str]:
    """The pages the search box lists for `query`, in order, as paths under the site."""
    box = page.locator("input.md-search__input")
    if not box.is_visible():
        page.locator("label.md-search__icon, label[for='__search']").first.click()
    # Emptied first, so that the list read below is this query's and not the one before.
    meta = "document.querySelector('.md-search-result__meta')"
    # Material searches on a key press: the whole query at once, then one key (End), so that
    # no search for part of it can land after the search for all of it.
    box.fill("")
    box.press("End")
    page.wait_for_function(f"{meta} && /Type to start/i.test({meta}.textContent)")
    box.fill(query)
    box.press("End")
    page.wait_for_function(f"{meta} && /matching|no match/i.test({meta}.textContent)")
    # One item per page; its first link is the page, the others sections of it.
    hrefs: list[str] = page.locator(
        ".md-search-result__list > .md-search-result__item"
    ).evaluate_all(
        "items => items.map(li => new URL(li.querySelector(':scope > a').href).pathname)"
    )
    return hrefs


def test_a_concepts_name_or_abbreviation_finds_its_page_in_the_top_3(
    page: Page, site: Site
) -> None:
    ids = {c["id"] for c in site.catalogue["concepts"]}
    assert set(QUERIES.values()) <= ids, set(QUERIES.values()) - ids
    goto(page, "")
    ranks = {}
    for query, concept in QUERIES.items():
        found = results(page, query)
        target = f"/concepts/{concept}/"
        ranks[query] = found.index(target) + 1 if target in found else None
    print("\nsearch ranks:", ranks)
    assert {q: r for q, r in ranks.items() if r is None or r > 3} == {}
