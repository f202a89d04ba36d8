from enum import StrEnum


class GeolocationFeatures(StrEnum):
    DURATION = "duration"
    LENGTH = "length"
    SPEED = "speed"
    duration = "duration"  # 0.7.x spelling (ImputeMethod.knn), an alias
    length = "length"  # 0.7.x spelling (ImputeMethod.knn), an alias
    speed = "speed"  # 0.7.x spelling (ImputeMethod.knn), an alias

    def __str__(self) -> str:
        return str(self.value)
