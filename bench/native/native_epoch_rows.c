// Stronger native anchor: the same epoch as native_epoch.c, but only the rows that can carry weight (the nv
// permitted validators) are stored and visited (nv x n working matrices), as a careful native implementation
// (and the chain's sparse path) would. Build: cc -O3 -march=native -o native_epoch_rows native_epoch_rows.c -lm
// run: ./native_epoch_rows N REPS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifndef T
#define T double
#endif
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static unsigned long long rs=88172645463325252ULL;static double rnd(void){rs^=rs<<13;rs^=rs>>7;rs^=rs<<17;return (rs>>11)*(1.0/9007199254740992.0);}
// pivot-at-middle partition search, as the chain's weighted_median
static T wmedian(const T*stake,const T*score,int*idx,int*lo,int*hi,int m,T minority,T plo,T phi){
  int n=m;
  for(int it=0;it<=m;it++){
    if(n==0)return 0; if(n==1)return score[idx[0]];
    T pivot=score[idx[n/2]]; T ls=0,hs=0; int nl=0,nh=0;
    for(int k=0;k<n;k++){int i=idx[k];T v=score[i]; if(v==pivot)continue; if(v<pivot){ls+=stake[i];lo[nl++]=i;} else {hs+=stake[i];hi[nh++]=i;}}
    if(minority<plo+ls && nl){memcpy(idx,lo,nl*sizeof(int));n=nl;phi=plo+ls;}
    else if(phi-hs<=minority && nh){memcpy(idx,hi,nh*sizeof(int));n=nh;plo=phi-hs;}
    else return pivot;
  }
  return 0;
}
int main(int argc,char**argv){
  int n=argc>1?atoi(argv[1]):1024, reps=argc>2?atoi(argv[2]):10; size_t nn=(size_t)n*n;
    T*S=malloc(n*sizeof(T)),*cons=malloc(n*sizeof(T)),*rank=malloc(n*sizeof(T)),*vt=malloc(n*sizeof(T)),*div=malloc(n*sizeof(T)),*col=malloc(n*sizeof(T)),*cs=malloc(n*sizeof(T)),*us=malloc(n*sizeof(T));
  int*idx=malloc(n*sizeof(int)),*lo=malloc(n*sizeof(int)),*hi=malloc(n*sizeof(int));
  int nv=n/4<64?n/4:64; if(nv<1)nv=1; size_t vn=(size_t)nv*n;
  T*W=malloc(vn*sizeof(T)),*C=malloc(vn*sizeof(T)),*B=malloc(vn*sizeof(T)),*D=malloc(vn*sizeof(T));
  double best=1e9, total=0, sink=0;
  for(int r=0;r<reps;r++){
    rs=88172645463325252ULL;
    for(size_t k=0;k<vn;k++){W[k]=rnd();B[k]=rnd();}
    for(int i=0;i<n;i++)S[i]=i<nv?rnd():0;
    double t0=now();
    T ss=0;for(int i=0;i<n;i++)ss+=S[i];for(int i=0;i<n;i++)S[i]/=ss;
    for(int i=0;i<nv;i++){T s=0;T*w=W+(size_t)i*n;for(int j=0;j<n;j++)s+=w[j];if(s>0)for(int j=0;j<n;j++)w[j]/=s;}
    int m=0;for(int i=0;i<n;i++)if(S[i]>0)us[m++]=S[i];
    for(int j=0;j<n;j++){int k=0;for(int i=0;i<nv;i++)if(S[i]>0)col[k++]=W[(size_t)i*n+j];for(int q=0;q<m;q++)idx[q]=q;cons[j]=wmedian(us,col,idx,lo,hi,m,(T)1-(T)0.5,0,1);}
    for(int j=0;j<n;j++)rank[j]=0;
    for(int i=0;i<nv;i++){T*w=W+(size_t)i*n;T*c=C+(size_t)i*n;T s=0;for(int j=0;j<n;j++){T v=w[j]<cons[j]?w[j]:cons[j];c[j]=v;s+=v;rank[j]+=v*S[i];}vt[i]=s;}
    T rsum=0;for(int j=0;j<n;j++)rsum+=rank[j];for(int j=0;j<n;j++)rank[j]/=rsum;
    for(int j=0;j<n;j++)cs[j]=0;
    for(int i=0;i<nv;i++){T*c=C+(size_t)i*n;T*d=D+(size_t)i*n;for(int j=0;j<n;j++){d[j]=c[j]*S[i];cs[j]+=d[j];}}
    for(int i=0;i<nv;i++){T*d=D+(size_t)i*n;for(int j=0;j<n;j++)if(cs[j]>0)d[j]/=cs[j];}
    for(int j=0;j<n;j++)cs[j]=0;
    for(int i=0;i<nv;i++){T*d=D+(size_t)i*n;T*b=B+(size_t)i*n;for(int j=0;j<n;j++){b[j]=(T)0.1*d[j]+(T)0.9*b[j];cs[j]+=b[j];}}
    for(int i=0;i<nv;i++){T*b=B+(size_t)i*n;T s=0;for(int j=0;j<n;j++){if(cs[j]>0)b[j]/=cs[j];s+=b[j]*rank[j];}div[i]=s;}
    double t1=now(); if(t1-t0<best)best=t1-t0; total+=t1-t0; sink+=div[0]+vt[0];
  }
  printf("n=%d sizeof=%zu best_ms=%.4f mean_ms=%.4f (sink %g)\n",n,sizeof(T),best*1e3,total/reps*1e3,sink);
  return 0;
}
