"""Assembling the catalog: every document's ids claimed once, catalog-wide, into the indexes."""

from __future__ import annotations

from dealcheck.catalog.model import FeatureEntry, RuleEntry, SkuEntry, Where
from dealcheck.catalog.references import References
from dealcheck.errors import Location
from dealcheck.models import FxRates, Product, Regions, RuleSet
from dealcheck.yamlio import Document, SourceMap


class Assembler(References):
    """Builds the indexes, then checks every cross-reference (SPEC §1, §2)."""

    def claim(
        self, kind: str, ident: str, where: Where, label: str, key: str | None = "id"
    ) -> bool:
        """Register a catalog-wide id; a duplicate is an error naming both places.

        Both places are the id itself: the ``key`` field of the entity, or (``key=None``)
        the mapping key that names it, as for region groups.
        """
        first = self.catalog.where.get((kind, ident))
        if first is not None:

            def at(w: Where) -> Location:
                return w.locate(key) if key else w.locate_key()

            self.error(
                at(where),
                f"duplicate {label} '{ident}' (also defined at {at(first)})",
                code="duplicate-id",
            )
            return False
        self.catalog.where[(kind, ident)] = where
        return True

    def run(self) -> None:
        cat = self.catalog
        fx_docs: list[tuple[FxRates, Document]] = []
        # Every document that could be read, in file order; those with field errors
        # reduced to the parts that validate (so their ids are claimed and checked too).
        for model, doc in cat.parsed:
            root = Where(doc.source, ())
            if isinstance(model, Regions):
                for name, members in model.groups.items():
                    if self.claim(
                        "group", name, Where(doc.source, ("groups", name)), "region group", None
                    ):
                        cat.groups[name] = members
            elif isinstance(model, FxRates):
                fx_docs.append((model, doc))
            elif isinstance(model, Product):
                self.index_product(model, doc.source)
            elif isinstance(model, RuleSet) and self.claim(
                "ruleset", model.id, root, "rule set id"
            ):
                cat.rulesets[model.id] = model
                for i, rule in enumerate(model.rules):
                    where = Where(doc.source, ("rules", i))
                    if rule.id in self.builtin_ids:
                        self.error(
                            where.locate("id"),
                            f"rule id '{rule.id}' is the id of a built-in check; choose another",
                            code="duplicate-id",
                        )
                    elif self.claim("rule", rule.id, where, "rule id"):
                        cat.rules[rule.id] = RuleEntry(rule, model, where)
        if fx_docs:
            cat.fx = fx_docs[0][0]
            self.catalog.where[("fx", "")] = Where(fx_docs[0][1].source, ())
            for _, extra in fx_docs[1:]:
                self.error(
                    extra.source.locate(),
                    f"a catalog has one FxRates document (the first is at {fx_docs[0][1].source.locate()})",
                    code="duplicate-id",
                )
        self.check_regions()
        for product in cat.products.values():
            self.check_product(product)
        self.check_fx()
        self.check_rulesets()

    # -- products --------------------------------------------------------------------------

    def index_product(self, product: Product, source: SourceMap) -> None:
        cat = self.catalog
        if not self.claim("product", product.id, Where(source, ()), "product id"):
            return
        cat.products[product.id] = product
        for i, feature in enumerate(product.features):
            where = Where(source, ("features", i))
            if self.claim("feature", feature.id, where, "feature id"):
                cat.features[feature.id] = FeatureEntry(feature, product, where)
        for i, sku in enumerate(product.skus):
            where = Where(source, ("skus", i))
            if self.claim("sku", sku.sku, where, "SKU", "sku"):
                cat.skus[sku.sku] = SkuEntry(sku, product, where)
        for i, edition in enumerate(product.editions):
            where = Where(source, ("editions", i))
            self.claim("edition", f"{product.id}/{edition.id}", where, f"edition of {product.id}")
