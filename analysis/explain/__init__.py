"""Stage 3, the explanations: SHAP values of every customer under the model that scored them
(cross-fitted), the Shapley estimator, and the drivers' dependence curves."""
