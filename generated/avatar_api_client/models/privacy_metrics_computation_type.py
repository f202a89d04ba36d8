from enum import StrEnum


class PrivacyMetricsComputationType(StrEnum):
    FULL_ENRICHED = "full_enriched"
    STANDALONE = "standalone"
    TO_BOTTOM_ID_PROPAGATED = "to_bottom_id_propagated"
    TO_TOP_ENRICHED = "to_top_enriched"
    full_enriched = "full_enriched"  # 0.7.x spelling (ImputeMethod.knn), an alias
    standalone = "standalone"  # 0.7.x spelling (ImputeMethod.knn), an alias
    to_bottom_id_propagated = (
        "to_bottom_id_propagated"  # 0.7.x spelling (ImputeMethod.knn), an alias
    )
    to_top_enriched = "to_top_enriched"  # 0.7.x spelling (ImputeMethod.knn), an alias

    def __str__(self) -> str:
        return str(self.value)
