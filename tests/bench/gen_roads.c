/*
** gen_roads.c: a synthetic road network for benchmarks, since no national
** network ships with the data.  Nodes on a jittered grid about 150 m apart
** (W x H nodes), about 15 % of grid links dropped so degrees vary (1-4,
** plus diagonals), a hierarchy of speeds like a Danish county (every 10th
** line a secondary road at 60 km/h, every 40th a primary at 80, every
** 200th a motorway at 110, the rest residential 30 / unclassified 45) and
** 5 % one-way links.  Writes, for the same network:
**   DIR/edges.csv  id,source,target,cost,reverse_cost (minutes; -1 = one-way), for pgRouting
**   DIR/nodes.csv  id,x,y (EPSG:25832)
**   DIR/roads.gpkg LineStrings with fields kmh and oneway, for gpcov
**   usage: gen_roads W H DIR
*/
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned long long rng = 88172645463325252ULL;
static double urand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: gen_roads W H DIR\n");
        return 2;
    }
    long W = atol(argv[1]), H = atol(argv[2]);
    const char *dir = argv[3];
    double *x = malloc((size_t)(W * H) * sizeof *x), *y = malloc((size_t)(W * H) * sizeof *y);
    char path[1024];
    snprintf(path, sizeof path, "%s/nodes.csv", dir);
    FILE *fn = fopen(path, "w");
    snprintf(path, sizeof path, "%s/edges.csv", dir);
    FILE *fe = fopen(path, "w");
    if (!x || !y || !fn || !fe)
        return 1;
    fprintf(fn, "id,x,y\n");
    fprintf(fe, "id,source,target,cost,reverse_cost\n");
    for (long r = 0; r < H; r++)
        for (long c = 0; c < W; c++) {
            long i = r * W + c;
            /* centimetre-rounded coordinates, so both tools see the same points */
            x[i] = round((450000 + c * 150 + (urand() - 0.5) * 80) * 100) / 100;
            y[i] = round((6050000 + r * 150 + (urand() - 0.5) * 80) * 100) / 100;
            fprintf(fn, "%ld,%.2f,%.2f\n", i + 1, x[i], y[i]);
        }
    fclose(fn);
    GDALAllRegister();
    snprintf(path, sizeof path, "%s/roads.gpkg", dir);
    GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GPKG"), path, 0, 0, 0, GDT_Unknown, NULL);
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(srs, 25832);
    OGRLayerH l = GDALDatasetCreateLayer(ds, "roads", srs, wkbLineString, NULL);
    OGRFieldDefnH fk = OGR_Fld_Create("kmh", OFTReal), fo = OGR_Fld_Create("oneway", OFTString);
    OGR_L_CreateField(l, fk, 1);
    OGR_L_CreateField(l, fo, 1);
    OGR_Fld_Destroy(fk);
    OGR_Fld_Destroy(fo);
    if (OGR_L_StartTransaction(l) != OGRERR_NONE)
        return 1;
    long id = 0, oneway = 0;
    for (long r = 0; r < H; r++)
        for (long c = 0; c < W; c++) {
            long i = r * W + c;
            for (int d = 0; d < 3; d++) {
                long rr = r + (d == 1 || d == 2), cc = c + (d == 0 || d == 2);
                if (rr >= H || cc >= W)
                    continue;
                long line = d == 0 ? r : d == 1 ? c : -1;
                double kmh;
                if (line >= 0 && line % 200 == 0) kmh = 110;
                else if (line >= 0 && line % 40 == 0) kmh = 80;
                else if (line >= 0 && line % 10 == 0) kmh = 60;
                else kmh = urand() < 0.7 ? 30 : 45;
                int main_road = kmh >= 60;
                if (d == 2 && urand() > 0.04) /* a few diagonal links */
                    continue;
                if (!main_road && d < 2 && urand() < 0.15) /* dropped links */
                    continue;
                long j = rr * W + cc;
                double len = hypot(x[j] - x[i], y[j] - y[i]);
                double cost = len / (kmh * 1000.0 / 60.0);
                int ow = !main_road && urand() < 0.05;
                oneway += ow;
                fprintf(fe, "%ld,%ld,%ld,%.9f,%.9f\n", ++id, i + 1, j + 1, cost, ow ? -1.0 : cost);
                OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
                OGR_F_SetFieldDouble(f, 0, kmh);
                OGR_F_SetFieldString(f, 1, ow ? "yes" : "no");
                OGRGeometryH g = OGR_G_CreateGeometry(wkbLineString);
                OGR_G_AddPoint_2D(g, x[i], y[i]);
                OGR_G_AddPoint_2D(g, x[j], y[j]);
                OGR_F_SetGeometryDirectly(f, g);
                if (OGR_L_CreateFeature(l, f) != OGRERR_NONE)
                    return 1;
                OGR_F_Destroy(f);
            }
        }
    if (OGR_L_CommitTransaction(l) != OGRERR_NONE)
        return 1;
    GDALClose(ds);
    OSRDestroySpatialReference(srs);
    fclose(fe);
    fprintf(stderr, "gen_roads: %ld nodes, %ld edges (%ld one-way)\n", W * H, id, oneway);
    free(x);
    free(y);
    return 0;
}
