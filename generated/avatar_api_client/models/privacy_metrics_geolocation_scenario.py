from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.geolocation_features import GeolocationFeatures
from ..models.point_of_interest import PointOfInterest
from ..models.signal_position import SignalPosition
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.geolocation_density_parameters import GeolocationDensityParameters
    from ..models.geolocation_features_parameters import GeolocationFeaturesParameters


T = TypeVar("T", bound="PrivacyMetricsGeolocationScenario")


@_attrs_define
class PrivacyMetricsGeolocationScenario:
    """
    Attributes:
        projection_parameters (GeolocationDensityParameters | GeolocationFeaturesParameters):
        inference_metric_threshold (float | None | Unset):  Default: 500.0.
        known_features (list[GeolocationFeatures] | None | Unset):
        known_signal_position (None | SignalPosition | Unset):
        target_feature (GeolocationFeatures | None | Unset):
        target_signal_poi (None | PointOfInterest | Unset):
    """

    projection_parameters: GeolocationDensityParameters | GeolocationFeaturesParameters
    inference_metric_threshold: float | None | Unset = 500.0
    known_features: list[GeolocationFeatures] | None | Unset = UNSET
    known_signal_position: None | SignalPosition | Unset = UNSET
    target_feature: GeolocationFeatures | None | Unset = UNSET
    target_signal_poi: None | PointOfInterest | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.geolocation_density_parameters import GeolocationDensityParameters  # noqa: PLC0415

        projection_parameters: dict[str, Any]
        if isinstance(self.projection_parameters, GeolocationDensityParameters):
            projection_parameters = self.projection_parameters.to_dict()
        else:
            projection_parameters = self.projection_parameters.to_dict()

        inference_metric_threshold: float | None | Unset
        if isinstance(self.inference_metric_threshold, Unset):
            inference_metric_threshold = UNSET
        else:
            inference_metric_threshold = self.inference_metric_threshold

        known_features: list[str] | None | Unset
        if isinstance(self.known_features, Unset):
            known_features = UNSET
        elif isinstance(self.known_features, list):
            known_features = []
            for known_features_type_0_item_data in self.known_features:
                known_features_type_0_item = known_features_type_0_item_data.value
                known_features.append(known_features_type_0_item)

        else:
            known_features = self.known_features

        known_signal_position: None | str | Unset
        if isinstance(self.known_signal_position, Unset):
            known_signal_position = UNSET
        elif isinstance(self.known_signal_position, SignalPosition):
            known_signal_position = self.known_signal_position.value
        else:
            known_signal_position = self.known_signal_position

        target_feature: None | str | Unset
        if isinstance(self.target_feature, Unset):
            target_feature = UNSET
        elif isinstance(self.target_feature, GeolocationFeatures):
            target_feature = self.target_feature.value
        else:
            target_feature = self.target_feature

        target_signal_poi: None | str | Unset
        if isinstance(self.target_signal_poi, Unset):
            target_signal_poi = UNSET
        elif isinstance(self.target_signal_poi, PointOfInterest):
            target_signal_poi = self.target_signal_poi.value
        else:
            target_signal_poi = self.target_signal_poi

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "projection_parameters": projection_parameters,
            }
        )
        if inference_metric_threshold is not UNSET:
            field_dict["inference_metric_threshold"] = inference_metric_threshold
        if known_features is not UNSET:
            field_dict["known_features"] = known_features
        if known_signal_position is not UNSET:
            field_dict["known_signal_position"] = known_signal_position
        if target_feature is not UNSET:
            field_dict["target_feature"] = target_feature
        if target_signal_poi is not UNSET:
            field_dict["target_signal_poi"] = target_signal_poi

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.geolocation_density_parameters import GeolocationDensityParameters  # noqa: PLC0415
        from ..models.geolocation_features_parameters import (
            GeolocationFeaturesParameters,  # noqa: PLC0415
        )

        d = dict(src_dict)

        def _parse_projection_parameters(
            data: object,
        ) -> GeolocationDensityParameters | GeolocationFeaturesParameters:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                projection_parameters_type_0 = GeolocationDensityParameters.from_dict(
                    data
                )

                return projection_parameters_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            projection_parameters_type_1 = GeolocationFeaturesParameters.from_dict(data)

            return projection_parameters_type_1

        projection_parameters = _parse_projection_parameters(
            d.pop("projection_parameters")
        )

        def _parse_inference_metric_threshold(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        inference_metric_threshold = _parse_inference_metric_threshold(
            d.pop("inference_metric_threshold", UNSET)
        )

        def _parse_known_features(
            data: object,
        ) -> list[GeolocationFeatures] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                known_features_type_0 = []
                _known_features_type_0 = data
                for known_features_type_0_item_data in _known_features_type_0:
                    known_features_type_0_item = GeolocationFeatures(
                        known_features_type_0_item_data
                    )

                    known_features_type_0.append(known_features_type_0_item)

                return known_features_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[GeolocationFeatures] | None | Unset, data)

        known_features = _parse_known_features(d.pop("known_features", UNSET))

        def _parse_known_signal_position(data: object) -> None | SignalPosition | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                known_signal_position_type_0 = SignalPosition(data)

                return known_signal_position_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SignalPosition | Unset, data)

        known_signal_position = _parse_known_signal_position(
            d.pop("known_signal_position", UNSET)
        )

        def _parse_target_feature(data: object) -> GeolocationFeatures | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                target_feature_type_0 = GeolocationFeatures(data)

                return target_feature_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GeolocationFeatures | None | Unset, data)

        target_feature = _parse_target_feature(d.pop("target_feature", UNSET))

        def _parse_target_signal_poi(data: object) -> None | PointOfInterest | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                target_signal_poi_type_0 = PointOfInterest(data)

                return target_signal_poi_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PointOfInterest | Unset, data)

        target_signal_poi = _parse_target_signal_poi(d.pop("target_signal_poi", UNSET))

        privacy_metrics_geolocation_scenario = cls(
            projection_parameters=projection_parameters,
            inference_metric_threshold=inference_metric_threshold,
            known_features=known_features,
            known_signal_position=known_signal_position,
            target_feature=target_feature,
            target_signal_poi=target_signal_poi,
        )

        privacy_metrics_geolocation_scenario.additional_properties = d
        return privacy_metrics_geolocation_scenario

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
