namespace EnsembleKit.Experiments;

/// <summary>
/// One child's test accuracy in percent while it trains: <see cref="Curve"/>[0] as it starts (hatched or pruned), then
/// after each epoch. <see cref="Method"/> names how it was made, <see cref="Child"/> counts from 0 within the method.
/// </summary>
public sealed record ChildCurve(string Method, int Child, double[] Curve);
