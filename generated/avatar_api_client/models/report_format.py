from enum import StrEnum


class ReportFormat(StrEnum):
    HTML = "html"
    JSON = "json"
    PDF = "pdf"
    html = "html"  # 0.7.x spelling (ImputeMethod.knn), an alias
    json = "json"  # 0.7.x spelling (ImputeMethod.knn), an alias
    pdf = "pdf"  # 0.7.x spelling (ImputeMethod.knn), an alias

    def __str__(self) -> str:
        return str(self.value)
